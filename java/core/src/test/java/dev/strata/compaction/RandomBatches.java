package dev.strata.compaction;

import dev.strata.segment.LogBatch;
import dev.strata.segment.LogOperation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Random log batches over a small id pool, so adds, updates, upserts and deletes often hit existing ids. */
final class RandomBatches {

    static final int DIM = 8;
    private final Random random;
    private final int idPool;

    RandomBatches(long seed, int idPool) {
        this.random = new Random(seed);
        this.idPool = idPool;
    }

    LogBatch next() {
        LogOperation op = LogOperation.values()[random.nextInt(4)];
        int n = 1 + random.nextInt(20);
        Set<String> idSet = new LinkedHashSet<>();
        while (idSet.size() < n) {
            idSet.add("id" + random.nextInt(idPool));
        }
        List<String> ids = List.copyOf(idSet);
        if (op == LogOperation.DELETE) {
            return LogBatch.delete(ids);
        }
        boolean full = op != LogOperation.UPDATE;
        float[][] embeddings = full || random.nextBoolean() ? new float[n][] : null;
        List<String> docs = full || random.nextBoolean() ? new ArrayList<>() : null;
        List<Map<String, Object>> metas = full || random.nextBoolean() ? new ArrayList<>() : null;
        List<String> uris = random.nextInt(4) == 0 ? new ArrayList<>() : null;
        for (int i = 0; i < n; i++) {
            if (embeddings != null) {
                embeddings[i] = vector();
            }
            if (docs != null) {
                docs.add(random.nextInt(5) == 0 ? null : "doc " + random.nextInt(50) + " of batch " + random.nextInt(9));
            }
            if (metas != null) {
                metas.add(metadata(!full));
            }
            if (uris != null) {
                uris.add("u" + random.nextInt(9));
            }
        }
        return new LogBatch(op, ids, embeddings, docs, metas, uris);
    }

    float[] vector() {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private Map<String, Object> metadata(boolean mayDeleteKeys) {
        if (random.nextInt(5) == 0) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", (long) random.nextInt(10));
        if (random.nextBoolean()) {
            m.put("f", random.nextInt(10) / 4.0);
        }
        if (random.nextBoolean()) {
            m.put("tags", List.of("t" + random.nextInt(3), "u" + random.nextInt(3)));
        }
        if (mayDeleteKeys && random.nextBoolean()) {
            m.put("s", null);
        } else if (random.nextBoolean()) {
            m.put("s", "v" + random.nextInt(4));
        }
        return m;
    }
}
