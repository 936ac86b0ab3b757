package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.storage.ForwardingObjectStore;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.RequestStats;
import dev.strata.testing.BucketSettings;
import dev.strata.testing.S3MockServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the seed's small workload costs per write and per query on S3: a writer reads back nothing it wrote itself
 * (blocks go through to its disk tier, manifests are remembered), so a one-record write costs only puts and a query
 * after it no request at all. Before, each such write cost two GETs of its own manifests and each query after it
 * one GET per block the compaction had changed.
 */
class WarmRequestsTest {

    @TempDir
    Path dir;

    /** Every request the node makes, as "OP key". */
    static final class Recording extends ForwardingObjectStore {
        final List<String> requests = new CopyOnWriteArrayList<>();

        Recording(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
            requests.add(op + " " + key + " [" + Thread.currentThread().getName() + "]");
            return call.get();
        }

        @Override
        public String describe() {
            return "recording " + delegate.describe();
        }

        List<String> since(int from, String op) {
            return requests.subList(from, requests.size()).stream().filter(r -> r.startsWith(op + " ")).toList();
        }
    }

    private static RecordSet records(Random random, int from, int to) {
        List<String> ids = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add("r" + i);
            vectors.add(vector(random));
            documents.add("document " + i);
        }
        return RecordSet.builder().ids(ids).embeddings(vectors).documents(documents).build();
    }

    private static float[] vector(Random random) {
        float[] v = new float[32];
        for (int k = 0; k < v.length; k++) {
            v[k] = random.nextFloat();
        }
        return v;
    }

    @Test
    void aOneRecordWriteCostsNoGetAndTheQueryAfterItNoRequest() throws Exception {
        Map<String, String> env = new HashMap<>(BucketSettings.of(S3MockServer.shared().newBucket("warm"), "local"));
        // Compaction checks often, so each write below is compacted on its own as in the small workload.
        env.put("STRATA_COMPACTION_INTERVAL_MS", "100");
        Recording[] recording = new Recording[1];
        try (EmbeddedStrata strata = EmbeddedStrata.openDecorated(Settings.defaults(dir).withAll(env),
                store -> recording[0] = new Recording(store))) {
            Recording store = recording[0];
            Collection c = strata.database().createCollection("small", null, null);
            Random random = new Random(7);
            for (int from = 0; from < 3_000; from += 500) {
                c.add(records(random, from, from + 500));
            }
            awaitCompacted(strata, c, 0);
            long version = strata.catalog().getCollection(c.id()).version();
            for (int w = 0; w < 3; w++) {
                int before = store.requests.size();
                float[] v = vector(random);
                c.upsert(RecordSet.builder().ids(List.of("r" + (w * 100))).embeddings(List.of(v))
                        .documents(List.of("changed " + w)).build());
                awaitCompacted(strata, c, version);
                version = strata.catalog().getCollection(c.id()).version();
                QueryResult answer = c.query(QueryRequest.builder().queryEmbeddings(List.of(v)).nResults(5).build());
                assertThat(answer.ids().getFirst()).as("the upserted record is its own nearest").first()
                        .isEqualTo("r" + (w * 100));
                assertThat(store.since(before, "PUT")).as("the write's compaction put blocks").isNotEmpty();
                assertThat(store.since(before, "GET")).as("GETs of write " + w + ", its compaction and a query")
                        .isEmpty();
                assertThat(store.since(before, "GET_RANGE")).isEmpty();
            }
        }
    }

    private static void awaitCompacted(EmbeddedStrata strata, Collection c, long after) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (strata.runtime(c.id()).tailSize() > 0 || strata.catalog().getCollection(c.id()).version() <= after) {
            assertThat(System.currentTimeMillis()).as("compacted in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
