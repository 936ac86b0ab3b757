package dev.strata.segment;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.strata.filter.MetadataValues;
import dev.strata.storage.CorruptObjectException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a record's metadata: a JSON object. Ints are written without a fraction and
 * floats always with one (Java's shortest round-trip form), so int/float types survive the round trip.
 */
final class MetadataCodec {

    // Every record a read returns decodes its metadata here: the fast (exact) double parser spares the
    // JDK's big-integer path for floats printed with 17 digits.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    static byte[] encode(Map<String, Object> metadata) {
        try {
            return JSON.writeValueAsBytes(metadata);
        } catch (IOException e) {
            throw new IllegalArgumentException("metadata cannot be encoded: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes metadata read from {@code where} (an object key, for the error). Every record a query returns
     * passes here, so it streams the tokens into one map of canonical values (no intermediate tree or map).
     */
    static Map<String, Object> decode(byte[] bytes, String where) {
        Map<String, Object> plain = FlatJsonReader.read(bytes);
        return plain != null ? plain : decodeWithJackson(bytes, where);
    }

    /** Decodes any metadata JSON: escapes, long numbers, and the errors of malformed bytes. */
    static Map<String, Object> decodeWithJackson(byte[] bytes, String where) {
        try (JsonParser p = JSON.getFactory().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Map<String, Object> out = new DecodedMetadata();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                out.put(key, t == JsonToken.START_ARRAY ? list(p) : scalar(p, t));
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new IllegalArgumentException("unexpected " + p.currentToken());
            }
            return out;
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptObjectException(where, "malformed record metadata: " + e.getMessage());
        }
    }

    private static Object scalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            // Ints stay ints and floats floats; a too-large int or a non-finite float is refused there.
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> MetadataValues.scalar(p.getNumberValue());
            default -> throw new IllegalArgumentException("unexpected " + t);
        };
    }

    private static Object list(JsonParser p) throws IOException {
        List<Object> values = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw new IllegalArgumentException("unterminated list");
            }
            values.add(scalar(p, t));
        }
        return MetadataValues.list(values);
    }

    private MetadataCodec() {}
}
