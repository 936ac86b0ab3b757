package dev.strata.ops.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.strata.api.Collection;
import dev.strata.api.GetRequest;
import dev.strata.api.GetResult;
import dev.strata.api.Include;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/** Asserts that a collection on a Chroma server and one in Strata hold the same collection and records. */
public final class PortComparison {

    private PortComparison() {
    }

    /** Name, metadata, HNSW configuration, every record's fields, and the nearest neighbours of a few queries. */
    public static void assertSame(ChromaHttpClient chroma, RemoteCollection remote, Collection local, long seed) {
        assertThat(local.name()).isEqualTo(remote.name());
        assertThat(normalize(Importer.metadata(local.metadata()))).as("metadata of %s", remote.name())
                .isEqualTo(normalize(Importer.metadata(remote.metadata())));
        @SuppressWarnings("unchecked")
        Map<String, Object> hnsw = (Map<String, Object>) remote.configuration().get("hnsw");
        Map<String, Object> localHnsw = new HashMap<>(castMap(local.configuration().toMap().get("hnsw")));
        for (String key : List.of("space", "ef_construction", "ef_search", "max_neighbors", "sync_threshold")) {
            assertThat(normalize(localHnsw.get(key))).as("%s of %s", key, remote.name()).isEqualTo(normalize(hnsw.get(key)));
        }

        Map<String, Row> remoteRows = rows(allRemote(chroma, remote.id()));
        Map<String, Row> localRows = rows(local.get(GetRequest.builder()
                .include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS, Include.URIS).build()));
        assertThat(local.count()).isEqualTo(chroma.count(remote.id())).isEqualTo(remoteRows.size());
        assertThat(localRows.keySet()).isEqualTo(remoteRows.keySet());
        remoteRows.forEach((id, r) -> {
            Row l = localRows.get(id);
            assertThat(l.embedding()).as("embedding of %s", id).containsExactly(r.embedding(), within(1e-6f));
            assertThat(l.document()).as("document of %s", id).isEqualTo(r.document());
            assertThat(normalize(l.metadata())).as("metadata of %s", id).isEqualTo(normalize(r.metadata()));
            assertThat(l.uri()).as("uri of %s", id).isEqualTo(r.uri());
        });

        Random random = new Random(seed);
        int dimension = remoteRows.values().iterator().next().embedding().length;
        List<float[]> queries = new ArrayList<>();
        for (int q = 0; q < 3; q++) {
            float[] v = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                v[i] = (float) random.nextGaussian();
            }
            queries.add(v);
        }
        RemoteQueryResult expected = chroma.query(remote.id(), queries, 10);
        QueryResult actual = local.query(QueryRequest.builder().queryEmbeddings(queries).nResults(10)
                .include(Include.DISTANCES).build());
        for (int q = 0; q < queries.size(); q++) {
            List<String> want = expected.ids().get(q);
            List<String> got = actual.ids().get(q);
            // Both are HNSW searches: allow one approximate miss, never a different nearest neighbour.
            assertThat(got.get(0)).as("nearest of query %d in %s", q, remote.name()).isEqualTo(want.get(0));
            Set<String> common = new HashSet<>(want);
            common.retainAll(got);
            assertThat(common).as("top 10 of query %d in %s", q, remote.name()).hasSizeGreaterThanOrEqualTo(9);
            for (String id : common) {
                float w = expected.distances().get(q).get(want.indexOf(id));
                float g = actual.distances().get(q).get(got.indexOf(id));
                assertThat(g).as("distance of %s", id).isCloseTo(w, within(1e-3f * Math.max(1f, Math.abs(w))));
            }
        }
    }

    /** Every record of a Chroma collection, read in pages of 400 (so paging is exercised too). */
    public static GetResult allRemote(ChromaHttpClient chroma, String id) {
        List<String> ids = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        List<Map<String, Object>> metadatas = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (int offset = 0; ; offset += 400) {
            GetResult page = chroma.get(id, 400, offset);
            ids.addAll(page.ids());
            embeddings.addAll(page.embeddings());
            documents.addAll(page.documents());
            metadatas.addAll(page.metadatas());
            uris.addAll(page.uris());
            if (page.size() < 400) {
                return new GetResult(ids, embeddings, documents, metadatas, uris, page.include());
            }
        }
    }

    private record Row(float[] embedding, String document, Map<String, Object> metadata, String uri) {}

    private static Map<String, Row> rows(GetResult r) {
        Map<String, Row> out = new LinkedHashMap<>();
        for (int i = 0; i < r.size(); i++) {
            out.put(r.ids().get(i), new Row(r.embeddings().get(i), r.documents().get(i),
                    r.metadatas().get(i) == null || r.metadatas().get(i).isEmpty() ? null : r.metadatas().get(i),
                    r.uris().get(i)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    /** JSON numbers compare by value whatever Java type parsed them (1 vs 1L, 1.5f vs 1.5d). */
    static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return Double.parseDouble(Float.toString(f));
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new HashMap<>();
            m.forEach((k, x) -> out.put(k, normalize(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(PortComparison::normalize).toList();
        }
        return Objects.requireNonNullElse(v, "<null>");
    }
}
