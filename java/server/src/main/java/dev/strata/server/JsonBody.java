package dev.strata.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request's JSON object with typed accessors. JSON null and an absent field both read as null.
 * A value of the wrong JSON type, a missing required field or a field the route does not know is a
 * 422 (Chroma's serde answer); what only the api layer can judge (names, filters, dimensions) is left to it.
 */
final class JsonBody {

    /** Filters and metadata are shallow in practice; a deep document only costs stack. */
    static final int MAX_NESTING_DEPTH = 64;

    // The fast double parser and writer: a query embedding is hundreds of 17-digit decimals (JS prints
    // doubles in full), and the JDK's parser takes its big-integer path for most of them; profiled at a
    // third of a 10k-record query's server time. Both are exact (correctly rounded, shortest repr).
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(JsonNumberRows.MAX_NUMBER_LENGTH)
                // The body's own limit (--max-body-bytes) bounds every string: a document that fits is taken.
                .maxStringLength(Integer.MAX_VALUE)
                .build());
    }

    // One field's value inside a body being streamed: the body's own end is checked by the caller.
    private static final com.fasterxml.jackson.databind.ObjectReader FIELD_VALUE =
            MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ObjectNode node;
    // Embedding fields read straight from the token stream into float arrays (no tree of number nodes).
    private final Map<String, List<float[]>> streamed;

    private JsonBody(ObjectNode node) {
        this(node, Map.of());
    }

    private JsonBody(ObjectNode node, Map<String, List<float[]>> streamed) {
        this.node = node;
        this.streamed = streamed;
    }

    /**
     * As {@link #parse}, with the embedding fields read from the body's bytes into float arrays
     * ({@link JsonNumberRows}): a query of a 384-float embedding otherwise builds a tree node per number. Any body the
     * fast path does not expect (an unknown field, a base64 or malformed embedding, a duplicate key, trailing tokens,
     * ...) is parsed again by {@link #parse}, so every answer, error or not, is the one it gives.
     */
    static JsonBody parseStreamingEmbeddings(byte[] body, Set<String> allowedFields, Set<String> embeddingFields) {
        byte[] input = body;
        JsonParser p = null;
        try {
            p = MAPPER.createParser(input);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return parse(body, allowedFields);
            }
            ObjectNode object = MAPPER.getNodeFactory().objectNode();
            Map<String, List<float[]>> streamed = new HashMap<>();
            JsonToken t = p.nextToken();
            while (t == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                // a key seen twice (possibly across the parsers of a body's two parts): the slow path's error
                if (!allowedFields.contains(name) || object.has(name)) {
                    return parse(body, allowedFields);
                }
                JsonToken value = p.nextToken();
                if (embeddingFields.contains(name) && value == JsonToken.START_ARRAY) {
                    long at = p.currentTokenLocation().getByteOffset();
                    JsonNumberRows.Rows rows = at < 0 || at >= input.length ? null : JsonNumberRows.read(input, (int) at);
                    if (rows == null) {
                        return parse(body, allowedFields);
                    }
                    streamed.put(name, rows.rows());
                    object.set(name, MAPPER.getNodeFactory().arrayNode()); // present for has(); values in streamed
                    // Jackson cannot skip the bytes just read: what follows the array is parsed as an object of its own
                    int next = JsonNumberRows.whitespace(input, rows.end());
                    if (next < input.length && input[next] == '}') {
                        return JsonNumberRows.whitespace(input, next + 1) == input.length
                                ? new JsonBody(object, streamed) : parse(body, allowedFields);
                    }
                    if (next >= input.length || input[next] != ',') {
                        return parse(body, allowedFields);
                    }
                    byte[] rest = new byte[input.length - next];
                    rest[0] = '{';
                    System.arraycopy(input, next + 1, rest, 1, rest.length - 1);
                    p.close();
                    input = rest;
                    p = MAPPER.createParser(input);
                    p.nextToken(); // the '{' put in place of the comma
                    t = p.nextToken();
                    if (t != JsonToken.FIELD_NAME) {
                        return parse(body, allowedFields); // "[...], }" or worse
                    }
                    continue;
                }
                JsonNode tree = FIELD_VALUE.readTree(p);
                object.set(name, tree == null ? MAPPER.getNodeFactory().nullNode() : tree);
                t = p.nextToken();
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return parse(body, allowedFields);
            }
            return new JsonBody(object, streamed);
        } catch (IOException | RuntimeException e) {
            return parse(body, allowedFields);
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // a parser over a byte array holds nothing to release
                }
            }
        }
    }

    /** The embedding fields this body read from the token stream (for tests). */
    Set<String> streamedFields() {
        return streamed.keySet();
    }

    /** Parses a body that must be a JSON object holding only the given fields. */
    static JsonBody parse(byte[] body, Set<String> allowedFields) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            // Valid JSON past a bound of ours: say which, in the API's words rather than the parser's.
            String m = String.valueOf(e.getOriginalMessage()).toLowerCase(java.util.Locale.ROOT);
            throw HttpError.badRequest(m.contains("nesting") ? "The request body nests objects or arrays deeper than "
                    + MAX_NESTING_DEPTH + " levels (a where clause or metadata this deep is not supported)"
                    : m.contains("number") ? "The request body holds a number longer than " + JsonNumberRows.MAX_NUMBER_LENGTH
                    + " characters" : "The request body exceeds a limit of the server: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw HttpError.badRequest("Malformed JSON body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpError.badRequest("Unreadable JSON body: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw HttpError.badRequest("Malformed JSON body: the request body is empty, expected a JSON object");
        }
        if (!(root instanceof ObjectNode object)) {
            throw HttpError.unprocessable("Expected the request body to be a JSON object, got " + kind(root));
        }
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowedFields.contains(name)) {
                throw HttpError.unprocessable("Unknown field \"" + name + "\" in the request body; expected "
                        + String.join(", ", new TreeSet<>(allowedFields)));
            }
        }
        return new JsonBody(object);
    }

    private JsonNode value(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String field) {
        return value(field) != null;
    }

    String string(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(field, "a string", v);
        }
        return v.textValue();
    }

    String requiredString(String field) {
        String s = string(field);
        if (s == null) {
            throw HttpError.unprocessable("Missing field \"" + field + "\" in the request body");
        }
        return s;
    }

    Boolean bool(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw wrongType(field, "a boolean", v);
        }
        return v.booleanValue();
    }

    /** A non-negative integer that fits an int (Chroma's u32 fields); null when absent. */
    Integer unsignedInt(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw wrongType(field, "a non-negative integer below 2^31", v);
        }
        return v.intValue();
    }

    List<String> strings(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw wrongType(field, "an array of strings", v);
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (e.isNull()) {
                out.add(null);
            } else if (e.isTextual()) {
                out.add(e.textValue());
            } else {
                throw wrongType(field + "[" + i + "]", "a string", e);
            }
        }
        return out;
    }

    Map<String, Object> object(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw wrongType(field, "an object", v);
        }
        return toMap(field, v);
    }

    /**
     * A filter (where, where_document): an object, else 400 as Chroma answers for any malformed
     * clause. Empty means no filter.
     */
    Map<String, Object> filter(String field, String clauseName) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw HttpError.badRequest("Invalid " + clauseName + ": expected an object, got " + kind(v));
        }
        return toMap(field, v);
    }

    /** An array of objects (or nulls: a record that keeps its metadata). */
    List<Map<String, Object>> objects(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw wrongType(field, "an array of objects", v);
        }
        List<Map<String, Object>> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (e.isNull()) {
                out.add(null);
            } else if (e.isObject()) {
                out.add(toMap(field + "[" + i + "]", e));
            } else {
                throw wrongType(field + "[" + i + "]", "an object", e);
            }
        }
        return out;
    }

    /**
     * Embeddings, each a JSON array of numbers or a base64 string of little-endian float32 (what the
     * 3.x JS client sends once pre-flight-checks says supports_base64_encoding). A null element is kept
     * (update without a new embedding for that record).
     */
    List<float[]> embeddings(String field) {
        List<float[]> fast = streamed.get(field);
        if (fast != null) {
            return fast;
        }
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw wrongType(field, "an array of embeddings", v);
        }
        List<float[]> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            out.add(embedding(field + "[" + i + "]", v.get(i)));
        }
        return out;
    }

    private static float[] embedding(String where, JsonNode e) {
        if (e.isNull()) {
            return null;
        }
        if (e.isTextual()) {
            return decodeBase64(where, e.textValue());
        }
        if (!e.isArray()) {
            throw wrongType(where, "an array of numbers or a base64 string", e);
        }
        float[] out = new float[e.size()];
        for (int j = 0; j < out.length; j++) {
            JsonNode x = e.get(j);
            if (!x.isNumber()) {
                throw wrongType(where + "[" + j + "]", "a number", x);
            }
            if (x.isBigInteger()) {
                throw beyond64Bits(where + "[" + j + "]", x);
            }
            out[j] = (float) x.doubleValue();
        }
        return out;
    }

    static float[] decodeBase64(String where, String text) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("Invalid base64 embedding at " + where + ": " + e.getMessage());
        }
        if (bytes.length % Float.BYTES != 0) {
            throw HttpError.badRequest("Invalid base64 embedding at " + where + ": " + bytes.length
                    + " bytes is not a whole number of float32 values");
        }
        float[] out = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static Map<String, Object> toMap(String path, JsonNode object) {
        Map<String, Object> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), toJava(path + "." + e.getKey(), e.getValue())));
        return out;
    }

    /**
     * Plain Java values as the api layer expects them: Map, List, String, Integer/Long, Double, Boolean, null. An
     * integer beyond 64 bits is refused here (400), wherever it is: it would otherwise become a double and lose
     * digits, or be compared as a number it is not.
     */
    private static Object toJava(String path, JsonNode n) {
        return switch (n.getNodeType()) {
            case OBJECT -> toMap(path, n);
            case ARRAY -> {
                List<Object> list = new ArrayList<>(n.size());
                for (int i = 0; i < n.size(); i++) {
                    list.add(toJava(path + "[" + i + "]", n.get(i)));
                }
                yield list;
            }
            case STRING -> n.textValue();
            case BOOLEAN -> n.booleanValue();
            case NUMBER -> {
                if (n.isBigInteger()) {
                    throw beyond64Bits(path.startsWith(".") ? path.substring(1) : path, n);
                }
                yield n.isIntegralNumber() ? n.numberValue() : (Object) n.doubleValue();
            }
            default -> null;
        };
    }

    private static HttpError beyond64Bits(String where, JsonNode n) {
        return HttpError.badRequest("The integer " + abbreviate(n.asText()) + " at " + where
                + " does not fit in 64 bits (signed): integers must be between -9223372036854775808 and"
                + " 9223372036854775807; send a float if an approximate value is meant");
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "... (" + s.length() + " digits)" : s;
    }

    private static HttpError wrongType(String field, String expected, JsonNode got) {
        return HttpError.unprocessable("Invalid type for \"" + field + "\": expected " + expected + ", got " + kind(got));
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "the number " + n.asText();
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> n.getNodeType().toString().toLowerCase();
        };
    }
}
