package dev.strata.jmh.cold;

import java.net.URI;
import java.nio.file.Path;

/** The command line of {@link ColdReadBenchmark}; see {@link #USAGE}. */
record ColdOptions(int size, int dim, int latencyMs, int queries, int batch, int compactEvery, long seed, Path out, Path s3mockJar,
        Path s3mockRoot, URI endpoint, boolean reload, int cacheMemoryMib, boolean localStore) {

    static final String USAGE = """
            ColdReadBenchmark [--size N] [--dim D] [--latency-ms MS] [--queries Q] [--batch B] [--compact-every C] [--seed S]
                              [--out DIR] [--s3mock-jar JAR] [--s3mock-root DIR] [--endpoint URL] [--reload]
                              [--cache-memory-mib M] [--local-store]
              --size         records (default 1000000)          --dim      dimension (default 384)
              --latency-ms   injected per request (default 20)  --queries  warm queries (default 200)
              --batch        records per add (default 10000)    --seed     workload seed (default 42)
              --compact-every  compact after every C records while loading (default 250000; bounds the heap)
              --out          results folder (default bench-results/cold)
              --s3mock-jar   S3Mock exec jar, started as a child JVM unless --endpoint is given
              --s3mock-root  S3Mock's data folder, kept between runs (default OUT/s3mock)
              --endpoint     an S3-compatible endpoint that is already running (path-style, any credentials)
              --reload       load the bucket again even if an earlier run loaded it
              --cache-memory-mib  the cold node's memory tier (default: STRATA_CACHE_MEMORY_BYTES's default)
              --local-store  a folder of objects (OUT/local) instead of S3Mock, read with the same injected latency:
                             the node's own time, without the time S3Mock takes to serve a wave on the same cores""";

    /** The options, or null when help was asked for; IllegalArgumentException for a bad command line. */
    static ColdOptions parse(String[] args) {
        int size = 1_000_000;
        int dim = 384;
        int latencyMs = 20;
        int queries = 200;
        int batch = 10_000;
        int compactEvery = 250_000;
        long seed = 42;
        Path out = Path.of("bench-results", "cold");
        Path jar = null;
        Path root = null;
        URI endpoint = null;
        boolean reload = false;
        int cacheMemoryMib = 0;
        boolean localStore = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                return null;
            }
            if (a.equals("--reload")) {
                reload = true;
                continue;
            }
            if (a.equals("--local-store")) {
                localStore = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value (see --help)");
            }
            String v = args[++i];
            switch (a) {
                case "--size" -> size = positive(a, v);
                case "--dim" -> dim = positive(a, v);
                case "--latency-ms" -> latencyMs = atLeastZero(a, v);
                case "--queries" -> queries = positive(a, v);
                case "--batch" -> batch = positive(a, v);
                case "--compact-every" -> compactEvery = positive(a, v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--out" -> out = Path.of(v);
                case "--s3mock-jar" -> jar = Path.of(v);
                case "--s3mock-root" -> root = Path.of(v);
                case "--endpoint" -> endpoint = URI.create(v);
                case "--cache-memory-mib" -> cacheMemoryMib = positive(a, v);
                default -> throw new IllegalArgumentException("unknown option " + a + " (see --help)");
            }
        }
        if (endpoint == null && jar == null && !localStore) {
            throw new IllegalArgumentException("give --s3mock-jar (to start S3Mock) or --endpoint");
        }
        return new ColdOptions(size, dim, latencyMs, queries, batch, compactEvery, seed, out, jar,
                root != null ? root : out.resolve("s3mock"), endpoint, reload, cacheMemoryMib, localStore);
    }

    private static int positive(String name, String v) {
        int n = atLeastZero(name, v);
        if (n == 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return n;
    }

    private static int atLeastZero(String name, String v) {
        int n;
        try {
            n = Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects a number, got " + v);
        }
        if (n < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return n;
    }
}
