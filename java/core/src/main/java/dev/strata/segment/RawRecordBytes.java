package dev.strata.segment;

import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.ValueType;
import dev.strata.storage.BlockCache;
import java.nio.charset.StandardCharsets;

/**
 * What a version's records weigh as a user gave them, without any index or layout: ids and documents (and uris)
 * in UTF-8, metadata in its encoded form, and each embedding as 4 bytes per dimension. The measure that stored bytes
 * are compared with (a store's overhead is stored / raw). Reads every record block of the version but no index.
 */
public final class RawRecordBytes {

    private RawRecordBytes() {}

    /** The raw bytes of the records of the version {@code manifest} describes; 0 for a version with no records. */
    public static long of(BlockCache cache, VersionManifest manifest) {
        long bytes = manifest.dimension() == null ? 0 : (long) manifest.count() * manifest.dimension() * Float.BYTES;
        bytes += strings(cache, manifest, SegmentParts.OFFSET_IDS);
        bytes += strings(cache, manifest, SegmentParts.DOCUMENTS);
        bytes += strings(cache, manifest, SegmentParts.URIS);
        String metadata = manifest.roots().get(SegmentParts.METADATA);
        if (metadata != null) {
            bytes += BlockfileReader.open(cache, metadata, ValueType.BYTES).entries()
                    .mapToLong(e -> e.value().length).sum();
        }
        return bytes;
    }

    private static long strings(BlockCache cache, VersionManifest manifest, String part) {
        String root = manifest.roots().get(part);
        if (root == null) {
            return 0;
        }
        return BlockfileReader.open(cache, root, ValueType.STRING).entries()
                .mapToLong(e -> e.value().getBytes(StandardCharsets.UTF_8).length).sum();
    }
}
