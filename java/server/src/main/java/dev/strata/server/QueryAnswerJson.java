package dev.strata.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import dev.strata.api.Include;
import dev.strata.api.QueryResult;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A query's answer in Chroma's shape, written straight to the JSON generator: the same bytes as the map tree of
 * {@link ChromaJson} would give, without building the tree or looking up a serializer for each value (the tree's
 * serialization was 11 % of the Java samples of an 8-client query load at 100k). Values of a type it does not know
 * (a metadata list, say) go to Jackson's serializers as before.
 */
final class QueryAnswerJson implements JsonSerializable {

    private final QueryResult result;

    QueryAnswerJson(QueryResult result) {
        this.result = result;
    }

    @Override
    public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
        g.writeStartObject();
        g.writeFieldName("ids");
        strings(g, result.ids());
        g.writeFieldName("embeddings");
        if (result.embeddings() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (List<float[]> row : result.embeddings()) {
                g.writeStartArray();
                for (float[] e : row) {
                    floats(g, e);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeFieldName("documents");
        strings(g, result.documents());
        g.writeFieldName("metadatas");
        metadatas(g, provider, result.metadatas());
        g.writeFieldName("distances");
        if (result.distances() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (List<Float> row : result.distances()) {
                g.writeStartArray();
                for (int i = 0; i < row.size(); i++) {
                    Float d = row.get(i);
                    // A distance past float's range (finite embeddings near 1e38) is null, as serde_json writes
                    // Chroma's: a string "Infinity" in an array of numbers breaks typed clients.
                    if (d == null || !Float.isFinite(d)) {
                        g.writeNull();
                    } else {
                        g.writeNumber(d.floatValue());
                    }
                }
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeFieldName("uris");
        strings(g, result.uris());
        g.writeFieldName("include");
        g.writeStartArray();
        for (Include i : Include.values()) {
            if (result.include().contains(i)) {
                g.writeString(i.wireName());
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    @Override
    public void serializeWithType(JsonGenerator g, SerializerProvider provider, TypeSerializer typeSer) throws IOException {
        serialize(g, provider); // never polymorphic: the mapper has no default typing
    }

    private static void strings(JsonGenerator g, List<List<String>> rows) throws IOException {
        if (rows == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (List<String> row : rows) {
            if (row == null) {
                g.writeNull();
                continue;
            }
            g.writeStartArray();
            for (String s : row) {
                g.writeString(s); // null as JSON null
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private static void floats(JsonGenerator g, float[] values) throws IOException {
        if (values == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (float v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    private static void metadatas(JsonGenerator g, SerializerProvider provider, List<List<Map<String, Object>>> rows)
            throws IOException {
        if (rows == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (List<Map<String, Object>> row : rows) {
            g.writeStartArray();
            for (Map<String, Object> m : row) {
                if (m == null) {
                    g.writeNull();
                    continue;
                }
                g.writeStartObject();
                for (Map.Entry<String, Object> e : m.entrySet()) {
                    g.writeFieldName(e.getKey());
                    switch (e.getValue()) {
                        case null -> g.writeNull();
                        case String s -> g.writeString(s);
                        case Boolean b -> g.writeBoolean(b);
                        case Long l -> g.writeNumber(l);
                        case Integer i -> g.writeNumber(i);
                        case Double d -> g.writeNumber(d);
                        case Float f -> g.writeNumber(f);
                        default -> provider.defaultSerializeValue(e.getValue(), g);
                    }
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }
}
