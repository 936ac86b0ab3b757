package dev.strata.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.FileFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The manifest's bytes: {@code {"format":2,"crc32c":"<hex>","catalog":{...}}}. The checksum covers the
 * format number's text followed by the exact bytes of the {@code catalog} value, located by the parser's
 * byte offsets, so whitespace or key order never matter and a flipped byte anywhere in the body or the
 * format is caught before the JSON is trusted. The checksum is checked before the version, as for every
 * format ({@link FileFormat#verify}): a format newer than {@link #FORMAT} is an
 * {@link dev.strata.storage.UnsupportedFormatVersionException} only when the manifest is intact, and a
 * damaged format digit is corruption.
 *
 * <p>Format 1, which earlier builds wrote, checksummed the {@code catalog} value alone; it is still read.
 */
final class ManifestCodec {
    static final FileFormat FORMAT = new FileFormat("catalog manifest", new byte[0], 1, 2);
    /** The first format whose checksum covers the format number too; every later one does. */
    private static final int FORMAT_UNDER_CHECKSUM = 2;

    /** What the manifest's body holds; collections in creation order. */
    record Body(long generation, long nextOrdinal, String writer, List<Tenant> tenants, List<Database> databases,
                List<CollectionEntry> collections, List<DroppedCollection> dropped, Long writerEpoch,
                java.util.Map<String, List<LogTakeover>> logTakeovers) {
        Body {
            tenants = tenants == null ? List.of() : tenants;
            databases = databases == null ? List.of() : databases;
            collections = collections == null ? List.of() : collections;
            dropped = dropped == null ? List.of() : dropped;
        }
    }

    private ManifestCodec() {}

    static byte[] encode(CatalogState s, String writer) {
        Body body = new Body(s.generation, s.nextOrdinal, writer, List.copyOf(s.tenants.values()),
                List.copyOf(s.databases.values()), List.copyOf(s.collections.values()),
                List.copyOf(s.dropped.values()), s.writerEpoch, s.logTakeovers);
        try {
            byte[] bodyBytes = CatalogJson.MAPPER.writeValueAsBytes(body);
            ByteArrayOutputStream out = new ByteArrayOutputStream(bodyBytes.length + 64);
            String format = Integer.toString(FORMAT.newestReadable());
            out.writeBytes(("{\"format\":" + format + ",\"crc32c\":\"" + crcHex(format, bodyBytes, 0, bodyBytes.length)
                    + "\",\"catalog\":").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(bodyBytes);
            out.writeBytes("}\n".getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        } catch (IOException e) {
            throw new CatalogException("cannot encode the catalog manifest", e);
        }
    }

    /** Verifies and decodes a manifest read from {@code key}; a bad checksum or bad JSON is a {@link CorruptObjectException}. */
    static CatalogState decode(String key, byte[] bytes) {
        Integer format = null;
        String formatText = null;
        String crc = null;
        long start = -1;
        long end = -1;
        try (JsonParser p = CatalogJson.MAPPER.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CorruptObjectException(key, "manifest is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "format" -> {
                        format = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : null;
                        formatText = p.getText();
                    }
                    case "crc32c" -> crc = p.getValueAsString();
                    case "catalog" -> {
                        start = p.currentTokenLocation().getByteOffset();
                        p.skipChildren();
                        end = p.currentLocation().getByteOffset();
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new CorruptObjectException(key, "manifest JSON is truncated or has trailing content");
            }
        } catch (IOException e) {
            throw new CorruptObjectException(key, "manifest is not valid JSON: " + e.getMessage());
        }
        if (format == null || format < 1 || crc == null || start < 0 || end <= start) {
            throw new CorruptObjectException(key, "manifest lacks format, crc32c or catalog");
        }
        String actual = crcHex(format < FORMAT_UNDER_CHECKSUM ? "" : formatText, bytes, (int) start, (int) (end - start));
        if (!actual.equals(crc)) {
            throw new CorruptObjectException(key, "manifest checksum mismatch: recorded " + crc + ", computed " + actual);
        }
        FORMAT.checkVersion(key, format);
        try {
            Body body = CatalogJson.MAPPER.readValue(bytes, (int) start, (int) (end - start), Body.class);
            return CatalogState.of(body.generation(), body.nextOrdinal(), body.tenants(), body.databases(),
                    body.collections(), body.dropped()).withWriter(body.writerEpoch(), body.logTakeovers());
        } catch (IOException | RuntimeException e) {
            throw new CorruptObjectException(key, "manifest content is invalid: " + e.getMessage());
        }
    }

    /** The checksum of a format number's text (empty for format 1) followed by the catalog's bytes. */
    private static String crcHex(String format, byte[] bytes, int offset, int length) {
        return FileFormat.crcHex(FileFormat.crc32c(ByteBuffer.wrap(format.getBytes(StandardCharsets.US_ASCII)),
                ByteBuffer.wrap(bytes, offset, length)));
    }
}
