package dev.strata.segment;

import java.util.LinkedHashMap;

/**
 * A metadata map just decoded from stored bytes and handed to no one else: a {@link Record} made with it wraps it
 * read-only instead of copying it. Only this package's decoders create one, and they pass it straight to the
 * record. A read returns k records per query, and the copy was about a tenth of a query's allocation.
 */
final class DecodedMetadata extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;
}
