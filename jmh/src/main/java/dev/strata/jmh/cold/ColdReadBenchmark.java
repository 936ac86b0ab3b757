package dev.strata.jmh.cold;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.Include;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.Settings;
import dev.strata.api.Space;
import dev.strata.api.Strata;
import dev.strata.api.Where;
import dev.strata.engine.EmbeddedStrata;
import dev.strata.ops.CollectionStats;
import dev.strata.ops.StatsCollector;
import dev.strata.ops.StatsReport;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStores;
import dev.strata.storage.LatencyInjectingObjectStore;
import dev.strata.storage.LocalObjectStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The cold-read benchmark (a main class: a cold start is a one-shot measurement, not a JMH loop).
 * Loads N records into a collection in S3 (S3Mock) and compacts them into one version, then opens a new
 * node with an empty data folder on the same bucket, its object store behind an injected per-request
 * latency and a recorder, and measures the time to the first answered query, the sequential object-store
 * round trips it took (interval depth, {@link RoundTrips}), then warm and filtered query latencies.
 * Run it through {@code scripts/bench-cold}; see docs/bench.md "Cold read".
 */
public final class ColdReadBenchmark {

    private static final String COLLECTION = "cold";
    private static final int K = 10;
    private static final String ACCESS_KEY = "strata-bench";
    private static final String SECRET_KEY = "strata-bench-secret";

    private final ColdOptions options;
    private final ColdWorkload workload;
    private final Map<String, Object> report = new LinkedHashMap<>();

    private ColdReadBenchmark(ColdOptions options) {
        this.options = options;
        this.workload = new ColdWorkload(options.seed(), options.dim());
    }

    public static void main(String[] args) throws Exception {
        ColdOptions options;
        try {
            options = ColdOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench-cold: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(ColdOptions.USAGE);
            return;
        }
        new ColdReadBenchmark(options).run();
        // The SDK's and the engine's non-daemon threads are closed with the nodes; exit anyway in case one lingers.
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(options.out());
        S3MockProcess s3mock = null;
        try {
            String bucket = "cold-%d-%d-s%d".formatted(options.size(), options.dim(), options.seed());
            boolean created;
            Path loadedMarker;
            Settings base;
            if (options.localStore()) {
                localRoot = options.out().resolve("local").resolve(bucket);
                loadedMarker = localRoot.resolve("loaded");
                created = !Files.exists(loadedMarker);
                base = localSettings();
                report.put("store_kind", "local folder " + localRoot.resolve(ObjectStores.LOCAL_OBJECTS_DIR));
            } else {
                URI endpoint = options.endpoint();
                if (endpoint == null) {
                    log("starting S3Mock from " + options.s3mockJar() + " (data in " + options.s3mockRoot() + ")");
                    s3mock = S3MockProcess.start(options.s3mockJar(), options.s3mockRoot());
                    endpoint = s3mock.endpoint();
                }
                created = S3MockProcess.ensureBucket(endpoint, bucket);
                loadedMarker = options.s3mockRoot().resolve("loaded-" + bucket);
                base = settings(endpoint, bucket);
                report.put("store_kind", options.endpoint() == null ? "S3Mock" : "S3 endpoint " + endpoint);
            }
            report.put("started", Instant.now().toString());
            report.put("size", options.size());
            report.put("dim", options.dim());
            report.put("latency_ms", options.latencyMs());
            report.put("cores", Runtime.getRuntime().availableProcessors());
            report.put("bucket", bucket);
            if (created || !Files.exists(loadedMarker) || options.reload()) {
                load(base);
                Files.writeString(loadedMarker, Instant.now().toString());
            } else {
                log("bucket " + bucket + " is already loaded (" + loadedMarker + "): measuring only");
                report.put("load", Map.of("reused", true));
            }
            measureCold(base);
            report.put("store", storeReport(base));
            write();
        } finally {
            if (s3mock != null) {
                s3mock.close();
            }
        }
    }

    /** The folder whose {@code objects/} the local store's nodes share (the load node's own folder), or null. */
    private Path localRoot;

    private Settings localSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("STRATA_STORAGE", "local");
        return common(s);
    }

    private Settings settings(URI endpoint, String bucket) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("STRATA_STORAGE", "s3");
        s.put("STRATA_S3_BUCKET", bucket);
        s.put("STRATA_S3_ENDPOINT", endpoint.toString());
        s.put("STRATA_S3_REGION", "us-east-1");
        s.put("STRATA_S3_PATH_STYLE", "true");
        s.put("STRATA_S3_ACCESS_KEY_ID", ACCESS_KEY);
        s.put("STRATA_S3_SECRET_ACCESS_KEY", SECRET_KEY);
        return common(s);
    }

    private Settings common(Map<String, String> s) {
        // One compaction at the end of the load, none in between (each would rewrite the growing index).
        s.put("STRATA_COMPACTION_THRESHOLD_RECORDS", String.valueOf(Integer.MAX_VALUE));
        s.put("STRATA_COMPACTION_INTERVAL_MS", String.valueOf(Duration.ofDays(30).toMillis()));
        s.put("STRATA_MAX_BATCH_SIZE", String.valueOf(Math.max(options.batch(), 1)));
        s.put("STRATA_WAL_SEGMENT_BYTES", String.valueOf(64L << 20));
        if (options.cacheMemoryMib() > 0) {
            s.put("STRATA_CACHE_MEMORY_BYTES", String.valueOf((long) options.cacheMemoryMib() << 20));
        }
        return Settings.defaults(options.out().resolve("work")).withAll(s);
    }

    /**
     * Adds every record in big batches, compacting every {@code --compact-every} records and at the end (the
     * last version holds everything), then closes the node (which releases the writer lease).
     */
    private void load(Settings base) throws IOException {
        // With the local store the load node's folder holds the objects every later node reads: it is kept.
        Path path = localRoot != null ? fresh(localRoot) : freshFolder("load-node");
        long t0 = System.nanoTime();
        try (Strata strata = EmbeddedStrata.open(base.withPath(path))) {
            Collection c = strata.getDatabase(Strata.DEFAULT_TENANT, Strata.DEFAULT_DATABASE)
                    .getOrCreateCollection(COLLECTION, null, CollectionConfiguration.defaults().withSpace(Space.COSINE));
            long next = t0;
            for (int from = 0; from < options.size(); from += options.batch()) {
                int count = Math.min(options.batch(), options.size() - from);
                c.add(workload.records(from, count));
                if ((from + count) % options.compactEvery() < count && from + count < options.size()) {
                    // Compacting in steps keeps the log tail (and the compaction's copy of it) small enough
                    // for the heap: one compaction of 1M records held over 16 GB and was killed.
                    long tc = System.nanoTime();
                    c.compact();
                    log("compacted the first %,d records (%.0f s)".formatted(from + count, (System.nanoTime() - tc) / 1e9));
                }
                if (System.nanoTime() >= next || from + count == options.size()) {
                    double s = (System.nanoTime() - t0) / 1e9;
                    log("loaded %,d / %,d records (%.0f s, %,.0f records/s)".formatted(from + count, options.size(), s,
                            (from + count) / s));
                    next = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                }
            }
            long t1 = System.nanoTime();
            log("compacting the rest into the final version");
            c.compact();
            long t2 = System.nanoTime();
            log("compacted in %.1f s".formatted((t2 - t1) / 1e9));
            report.put("load", Map.of("add_s", round((t1 - t0) / 1e9), "compact_s", round((t2 - t1) / 1e9)));
        }
        if (localRoot == null) {
            deleteTree(path);
        }
    }

    private void measureCold(Settings base) throws IOException {
        Path path = freshFolder("cold-node");
        Duration latency = Duration.ofMillis(options.latencyMs());
        RecordingObjectStore[] recorder = new RecordingObjectStore[1];
        List<float[]> queries = workload.queries(options.queries() + 1);
        Where filter = Where.eq("category", ColdWorkload.category(3));

        log("cold open of a new node with an empty folder, %d ms per request".formatted(options.latencyMs()));
        long t0 = System.nanoTime();
        try (EmbeddedStrata strata = EmbeddedStrata.openDecorated(base.withPath(path), store -> {
            if (localRoot != null) {
                // The new node's own (empty) folder store is replaced by the shared one the load wrote.
                store.close();
                store = sharedLocalStore();
            }
            recorder[0] = new RecordingObjectStore(new LatencyInjectingObjectStore(store, latency));
            return recorder[0];
        })) {
            long tOpen = System.nanoTime();
            Collection c = strata.getDatabase(Strata.DEFAULT_TENANT, Strata.DEFAULT_DATABASE).getCollection(COLLECTION);
            long tQuery = System.nanoTime();
            QueryResult first = c.query(query(queries.getFirst(), null));
            long tFirst = System.nanoTime();
            check(first, null);
            RecordingObjectStore rec = recorder[0];
            Map<String, Object> cold = new LinkedHashMap<>();
            cold.put("open_ms", ms(tOpen - t0));
            cold.put("collection_lookup_ms", ms(tQuery - tOpen));
            cold.put("first_query_ms", ms(tFirst - tQuery));
            cold.put("open_to_first_answer_ms", ms(tFirst - t0));
            cold.put("whole", requestSummary(rec.requests(), t0, false));
            cold.put("query", requestSummary(rec.since(tQuery), tQuery, true));
            report.put("cold", cold);
            writeRequests(rec.requests(), t0);
            log("cold: open %.0f ms, first query %.0f ms, open to first answer %.0f ms".formatted(ms(tOpen - t0),
                    ms(tFirst - tQuery), ms(tFirst - t0)));

            int warmFrom = rec.requests().size();
            Map<String, Object> warm = latencies(c, queries.subList(1, queries.size()), null);
            // "Warm" queries still read the blocks no earlier query read (posting blocks of clusters not yet probed).
            List<RoundTrips.Request> warmRequests = rec.requests().subList(warmFrom, rec.requests().size());
            warm.put("requests", warmRequests.size());
            warm.put("bytes", warmRequests.stream().mapToLong(RoundTrips.Request::bytes).sum());
            report.put("warm", warm);
            report.put("recall_at_10", recall(c, queries, first));

            long tf = System.nanoTime();
            int before = rec.requests().size();
            QueryResult filtered = c.query(query(queries.getFirst(), filter));
            long tf1 = System.nanoTime();
            check(filtered, "cat-3");
            Map<String, Object> firstFiltered = new LinkedHashMap<>();
            firstFiltered.put("ms", ms(tf1 - tf));
            firstFiltered.put("requests", requestSummary(rec.requests().subList(before, rec.requests().size()), tf, true));
            report.put("first_filtered", firstFiltered);
            report.put("warm_filtered", latencies(c, queries.subList(1, queries.size()), filter));
            report.put("memory", residentMemory(base));
        }
        deleteTree(path);
    }

    /**
     * What the bucket holds once the cold node is closed, read without injected latency: every byte, the current
     * version's, the raw bytes of its records (ids, vectors, documents, metadata) and every byte by why GC keeps it.
     */
    private Map<String, Object> storeReport(Settings base) throws IOException {
        long t0 = System.nanoTime();
        Map<String, Object> m = new LinkedHashMap<>();
        try (ObjectStore store = localRoot != null ? sharedLocalStore()
                : ObjectStores.open(base.storageOptions(), options.out().resolve("work"))) {
            StatsReport stats = new StatsCollector(store).withRawBytes().collect();
            CollectionStats c = stats.collections().getFirst();
            m.put("bucket_bytes", stats.totalBytes());
            m.put("raw_bytes", c.rawBytes());
            m.put("overhead", c.overhead());
            m.put("bytes_by_kind", c.bytesByKind());
            m.put("retained_bytes", c.retainedBytes());
        }
        log("store: %,d bytes in the bucket, %.2fx the raw bytes; retained %s (measured in %.0f s)".formatted(
                (long) m.get("bucket_bytes"), m.get("overhead") == null ? Double.NaN : (double) m.get("overhead"),
                m.get("retained_bytes"), (System.nanoTime() - t0) / 1e9));
        return m;
    }

    /**
     * The process's resident memory with the cold node still open, after every query (issue 14's memory bound: a node
     * with a 256 MiB memory tier serving 1M records in at most 1 GiB). The peak (VmHWM) counts the whole process: a
     * run that also loaded the bucket includes the load, so measure the bound in a run that only reads.
     */
    private Map<String, Object> residentMemory(Settings base) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            String[] f = line.split("\\s+");
            if (f[0].equals("VmRSS:") || f[0].equals("VmHWM:")) {
                m.put(f[0].equals("VmRSS:") ? "rss_mib" : "peak_rss_mib", Long.parseLong(f[1]) >> 10);
            }
        }
        java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        m.put("heap_used_mib", heap.getUsed() >> 20);
        m.put("heap_committed_mib", heap.getCommitted() >> 20);
        m.put("heap_max_mib", heap.getMax() >> 20);
        m.put("cache_memory_mib", base.cacheMemoryBytes() >> 20);
        // off-heap vectors of decoded blocks still held: the memory tier's and any a query holds
        m.put("vector_blocks_mib", dev.strata.blockfile.Block.liveNativeBytes() >> 20);
        m.put("loaded_in_this_run", report.get("load") instanceof Map<?, ?> load && load.containsKey("add_s"));
        log("memory: RSS %s MiB (peak %s), heap %s of %s MiB committed, max %s; memory tier %s MiB, vector blocks %s MiB"
                .formatted(m.get("rss_mib"), m.get("peak_rss_mib"), m.get("heap_used_mib"), m.get("heap_committed_mib"),
                        m.get("heap_max_mib"), m.get("cache_memory_mib"), m.get("vector_blocks_mib")));
        return m;
    }

    /**
     * Recall@10 against exact neighbours (brute force over the generated vectors, cosine on unit vectors):
     * of the cold first answer, and the mean over every query asked again warm.
     */
    private Map<String, Object> recall(Collection c, List<float[]> queries, QueryResult first) {
        long t = System.nanoTime();
        int q = queries.size();
        float[][] bestDist = new float[q][K];
        int[][] bestId = new int[q][K];
        for (float[] row : bestDist) {
            Arrays.fill(row, Float.MAX_VALUE);
        }
        for (int i = 0; i < options.size(); i++) {
            float[] v = workload.embedding(i);
            for (int j = 0; j < q; j++) {
                float[] query = queries.get(j);
                float dot = 0;
                for (int d = 0; d < v.length; d++) {
                    dot += v[d] * query[d];
                }
                float dist = 1 - dot;
                float[] bd = bestDist[j];
                if (dist < bd[K - 1]) {
                    int at = K - 1;
                    while (at > 0 && bd[at - 1] > dist) {
                        bd[at] = bd[at - 1];
                        bestId[j][at] = bestId[j][at - 1];
                        at--;
                    }
                    bd[at] = dist;
                    bestId[j][at] = i;
                }
            }
        }
        double firstRecall = overlap(bestId[0], first.ids().getFirst());
        double sum = 0;
        for (int j = 0; j < q; j++) {
            sum += j == 0 ? firstRecall : overlap(bestId[j], c.query(query(queries.get(j), null)).ids().getFirst());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("first_cold", round(firstRecall));
        m.put("mean", round(sum / q));
        m.put("queries", q);
        log("recall@10: first (cold) %.2f, mean %.3f over %d queries (exact neighbours in %.1f s)".formatted(
                firstRecall, sum / q, q, (System.nanoTime() - t) / 1e9));
        return m;
    }

    private static double overlap(int[] exact, List<String> got) {
        java.util.Set<String> want = new java.util.HashSet<>();
        for (int i : exact) {
            want.add(ColdWorkload.id(i));
        }
        return (double) got.stream().filter(want::contains).count() / exact.length;
    }

    private static QueryRequest query(float[] vector, Where where) {
        QueryRequest.Builder b = QueryRequest.builder().queryEmbeddings(vector).nResults(K)
                .include(Include.DOCUMENTS, Include.METADATAS, Include.DISTANCES);
        return where == null ? b.build() : b.where(where).build();
    }

    /** Fails the run when an answer is not k records with their documents (and category, when filtered). */
    private static void check(QueryResult r, String category) {
        List<String> ids = r.ids().getFirst();
        if (ids.size() != K || r.documents().getFirst().stream().anyMatch(d -> d == null || d.isEmpty())) {
            throw new IllegalStateException("expected " + K + " records with documents, got " + ids);
        }
        if (category != null && r.metadatas().getFirst().stream().anyMatch(m -> !category.equals(m.get("category")))) {
            throw new IllegalStateException("a filtered answer holds a record outside " + category + ": " + r.metadatas());
        }
    }

    private Map<String, Object> latencies(Collection c, List<float[]> queries, Where where) {
        double[] ms = new double[queries.size()];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            c.query(query(queries.get(i), where));
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queries", ms.length);
        m.put("p50_ms", round(percentile(ms, 0.50)));
        m.put("p95_ms", round(percentile(ms, 0.95)));
        m.put("max_ms", round(ms[ms.length - 1]));
        log("%s: p50 %.2f ms, p95 %.2f ms over %d queries".formatted(where == null ? "warm" : "warm filtered",
                percentile(ms, 0.50), percentile(ms, 0.95), ms.length));
        return m;
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /**
     * Count, bytes, sequential depth and the longest chain (op, key, start/end relative to {@code origin}). With
     * {@code readsOnly}, the chain leaves out writes: during a query they are the node's own background work (the
     * writer lease's renewal, a status file), which the query never waits for, but which a query of several seconds
     * on a loaded machine overlapped and counted as a round trip.
     */
    private static Map<String, Object> requestSummary(List<RoundTrips.Request> requests, long origin, boolean readsOnly) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", requests.size());
        m.put("bytes", requests.stream().mapToLong(RoundTrips.Request::bytes).sum());
        Map<String, Long> byOp = new LinkedHashMap<>();
        requests.forEach(r -> byOp.merge(r.op(), 1L, Long::sum));
        m.put("by_op", byOp);
        List<RoundTrips.Request> index = requests.stream().filter(r -> r.key().contains("/i/")).toList();
        if (!index.isEmpty()) {
            // The vector index download: from its HEAD to its last range, and what came after it (the load,
            // the search, then the record blocks of the answer).
            long first = index.stream().mapToLong(RoundTrips.Request::startNanos).min().orElseThrow();
            long last = index.stream().mapToLong(RoundTrips.Request::endNanos).max().orElseThrow();
            m.put("index_download_ms", ms(last - first));
            m.put("index_bytes", index.stream().mapToLong(RoundTrips.Request::bytes).sum());
            m.put("index_download_end_ms", ms(last - origin));
            requests.stream().filter(r -> r.startNanos() >= last).mapToLong(RoundTrips.Request::startNanos).min()
                    .ifPresent(next -> m.put("index_end_to_next_request_ms", ms(next - last)));
        }
        List<RoundTrips.Request> chained = readsOnly ? requests.stream().filter(r -> !r.op().startsWith("PUT")
                && !r.op().startsWith("DELETE")).toList() : requests;
        if (chained.size() < requests.size()) {
            m.put("writes_left_out_of_chain", requests.size() - chained.size());
        }
        List<RoundTrips.Request> chain = RoundTrips.longestChain(chained);
        m.put("sequential_round_trips", chain.size());
        m.put("chain", chain.stream().map(r -> "%s %s [%.1f, %.1f] ms, %d bytes".formatted(r.op(), r.key(),
                ms(r.startNanos() - origin), ms(r.endNanos() - origin), r.bytes())).toList());
        return m;
    }

    private void writeRequests(List<RoundTrips.Request> requests, long origin) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("op\tkey\tstart_ms\tend_ms\tbytes");
        requests.stream().sorted(Comparator.comparingLong(RoundTrips.Request::startNanos)).forEach(r -> lines.add(
                "%s\t%s\t%.2f\t%.2f\t%d".formatted(r.op(), r.key(), ms(r.startNanos() - origin), ms(r.endNanos() - origin),
                        r.bytes())));
        Files.write(options.out().resolve("cold-requests-" + options.size() + ".tsv"), lines);
    }

    private void write() throws IOException {
        report.put("finished", Instant.now().toString());
        Path json = options.out().resolve("cold-" + options.size() + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        Path md = options.out().resolve("cold-" + options.size() + ".md");
        Files.writeString(md, ColdMarkdown.table(report));
        System.out.println();
        System.out.print(Files.readString(md));
        log("results: " + json + ", " + md);
    }

    private ObjectStore sharedLocalStore() {
        return new LocalObjectStore(localRoot.resolve(ObjectStores.LOCAL_OBJECTS_DIR));
    }

    private Path freshFolder(String name) throws IOException {
        return fresh(options.out().resolve("work").resolve(name));
    }

    private static Path fresh(Path p) throws IOException {
        deleteTree(p);
        Files.createDirectories(p);
        return p;
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            try (Stream<Path> files = Files.walk(p)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private static double ms(long nanos) {
        return round(nanos / 1e6);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void log(String message) {
        System.out.println("bench-cold: " + message);
    }
}
