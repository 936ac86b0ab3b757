package dev.strata.jmh.writeamp;

import dev.strata.api.Collection;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.blockfile.BlockfileReader;
import dev.strata.catalog.CollectionRecord;
import dev.strata.engine.EmbeddedStrata;
import dev.strata.jmh.cold.ColdWorkload;
import dev.strata.gc.GcOptions;
import dev.strata.ops.CollectionStats;
import dev.strata.ops.ObjectKind;
import dev.strata.ops.StatsCollector;
import dev.strata.storage.ObjectStore;
import dev.strata.segment.VersionManifest;
import dev.strata.storage.BlockCache;
import dev.strata.storage.ObjectMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Write amplification of compaction: ingests {@code --size} records of {@code --dim} (ColdWorkload's records:
 * clustered unit vectors, a short document, two metadata keys; ids and vectors only with {@code --vectors-only}) into one collection of an embedded node on a local
 * folder, in adds of {@code --batch}, each followed by {@code Collection.compact()}, which returns once the
 * version is published. That is the compaction the default threshold (1,000 records) starts after each add,
 * made synchronous so that the bytes the object store receives between one add and the next belong to exactly
 * one compaction. Everything else is the default (merge policy, block size); the warm graph is off
 * (STRATA_WARM_INDEX_BYTES=0: it writes nothing, only costs CPU).
 *
 * <p>Counts, through {@link CountingObjectStore}: bytes written per compaction (blocks, roots, index files,
 * version manifest, catalog; the log's segment uploads are counted apart) and in total, against the bytes the
 * final version stores (the objects its manifest names, with every block of its blockfiles). Prints one line per
 * tenth of the ingest and a summary; {@code --out DIR} also writes {@code write-amp-<size>[-vectors].tsv} (one row
 * per compaction) and {@code write-amp-<size>[-vectors].md}.
 */
public final class WriteAmplificationBenchmark {

    private WriteAmplificationBenchmark() {}

    record Options(int size, int dim, int batch, long seed, Path out, Path data, boolean vectorsOnly) {
        static Options parse(String[] args) {
            int size = 1_000_000;
            int dim = 384;
            int batch = 1_000;
            long seed = 42;
            Path out = Path.of("bench-results", "write-amp");
            Path data = null;
            boolean vectorsOnly = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--vectors-only")) {
                    vectorsOnly = true;
                    continue;
                }
                if (a.equals("-h") || a.equals("--help")) {
                    System.out.println("options: --size N (1000000) --dim D (384) --batch B (1000) --seed S (42)"
                            + " --out DIR (bench-results/write-amp) --data DIR (OUT/data-<size>; a node folder there is removed first and after)"
                            + " --vectors-only (ids and embeddings, no documents or metadata)");
                    System.exit(0);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--size" -> size = count(v);
                    case "--dim" -> dim = Integer.parseInt(v);
                    case "--batch" -> batch = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--out" -> out = Path.of(v);
                    case "--data" -> data = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + a + " (see --help)");
                }
            }
            if (size < batch || batch < 1 || dim < 1) {
                throw new IllegalArgumentException("need --size >= --batch >= 1 and --dim >= 1");
            }
            return new Options(size, dim, batch, seed, out, data != null ? data : out.resolve("data-" + size), vectorsOnly);
        }

        /** 100000, 100k, 1m. */
        static int count(String v) {
            String s = v.toLowerCase(Locale.ROOT);
            if (s.endsWith("k")) {
                return Integer.parseInt(s.substring(0, s.length() - 1)) * 1_000;
            }
            if (s.endsWith("m")) {
                return Integer.parseInt(s.substring(0, s.length() - 1)) * 1_000_000;
            }
            return Integer.parseInt(s);
        }
    }

    /** One compaction: records in the collection after it, bytes written by kind, and how long add + compact took. */
    record Compaction(int records, long compactionBytes, long logBytes, Map<ObjectKind, Long> byKind,
            Map<String, Long> byPart, long millis) {}

    public static void main(String[] args) throws IOException {
        Options o = Options.parse(args);
        if (Files.isDirectory(o.data()) && !Files.exists(o.data().resolve("catalog"))) {
            try (var entries = Files.list(o.data())) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(o.data() + " is not empty and holds no Strata node: give another --data");
                }
            }
        }
        deleteTree(o.data());
        Files.createDirectories(o.out());
        // Issue 15's append-mostly figure is the store "after one GC past the grace period": the grace period is
        // shortened to GRACE_MS here so that the run need not wait 10 minutes; every other GC rule is the default.
        Settings settings = Settings.defaults(o.data()).with("STRATA_GC_GRACE_MS", String.valueOf(GRACE_MS))
                .withAll(envSettings()).with("STRATA_WARM_INDEX_BYTES",
                System.getenv().getOrDefault("STRATA_WARM_INDEX_BYTES", "0"));
        CountingObjectStore[] counter = new CountingObjectStore[1];
        ColdWorkload workload = new ColdWorkload(o.seed(), o.dim());
        List<Compaction> compactions = new ArrayList<>();
        long start = System.nanoTime();
        Map<ObjectKind, Long> total;
        long stored;
        Map<ObjectKind, Long> storedByKind = new java.util.EnumMap<>(ObjectKind.class);
        long inStore;
        AfterGc afterGc;
        System.out.printf(Locale.ROOT, "write-amp: %,d x %d%s in adds of %,d, compacting after each; data in %s%n",
                o.size(), o.dim(), o.vectorsOnly() ? " (vectors only)" : "", o.batch(), o.data());
        try (EmbeddedStrata strata = EmbeddedStrata.openDecorated(settings, s -> counter[0] = new CountingObjectStore(s))) {
            CountingObjectStore store = counter[0];
            Collection c = strata.database().createCollection("write-amp", null, null);
            int tenth = Math.max(1, o.size() / o.batch() / 10);
            for (int from = 0, n = 0; from < o.size(); from += o.batch(), n++) {
                int count = Math.min(o.batch(), o.size() - from);
                Map<ObjectKind, Long> before = store.bytesByKind();
                long t0 = System.nanoTime();
                RecordSet records = workload.records(from, count);
                c.add(o.vectorsOnly() ? RecordSet.builder().ids(records.ids()).embeddings(records.embeddings()).build() : records);
                c.compact();
                long millis = (System.nanoTime() - t0) / 1_000_000;
                Map<ObjectKind, Long> diff = minus(store.bytesByKind(), before);
                long log = diff.get(ObjectKind.LOG);
                long all = diff.values().stream().mapToLong(Long::longValue).sum();
                Map<String, Long> parts = byPart(strata.cache(), strata.catalog().getCollection(c.id()), store.drainWritten());
                compactions.add(new Compaction(from + count, all - log, log, diff, parts, millis));
                if ((n + 1) % tenth == 0 || from + count == o.size()) {
                    Compaction last = compactions.getLast();
                    System.out.printf(Locale.ROOT, "write-amp: %,d records, %.0f s; this compaction wrote %,d bytes in %d ms%n",
                            from + count, (System.nanoTime() - start) / 1e9, last.compactionBytes(), last.millis());
                }
            }
            total = store.bytesByKind();
            CollectionRecord record = strata.catalog().getCollection(c.id());
            Map<String, Long> sizes = new HashMap<>();
            for (ObjectMeta m : store.list("")) {
                sizes.put(m.key(), m.size());
            }
            inStore = sizes.values().stream().mapToLong(Long::longValue).sum();
            afterGc = afterGc(strata, store, settings, c);
            stored = 0;
            for (String key : versionObjects(strata.cache(), record)) {
                long size = sizes.getOrDefault(key, 0L);
                stored += size;
                storedByKind.merge(ObjectKind.of(key), size, Long::sum);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String report = report(o, compactions, total, stored, storedByKind, inStore, seconds) + afterGc.report(stored);
        System.out.print(report);
        String name = "write-amp-" + o.size() + (o.vectorsOnly() ? "-vectors" : "");
        Files.writeString(o.out().resolve(name + ".md"), report);
        writeTsv(o.out().resolve(name + ".tsv"), compactions);
        deleteTree(o.data());
    }

    /** The grace period of this run's GC (STRATA_GC_GRACE_MS of the environment wins). */
    private static final long GRACE_MS = 2_000;

    /** The store after one GC past the grace period, and the raw bytes of the collection's records. */
    record AfterGc(long bytes, long deletedObjects, long raw, Map<String, Long> retained) {
        String report(long currentVersion) {
            return String.format(Locale.ROOT, "%nafter one GC past the grace period (default retention: %s): the store holds %,d"
                            + " bytes = %.2fx the raw bytes (%,d: ids, vectors, documents, metadata); the current version alone"
                            + " %.2fx; retained by reason %s; GC deleted %,d objects%n",
                    "keep 3, TTL 7 days, one version per hour", bytes, (double) bytes / raw, raw,
                    (double) currentVersion / raw, retained, deletedObjects);
        }
    }

    private static AfterGc afterGc(EmbeddedStrata strata, ObjectStore store, Settings settings, Collection c) {
        try {
            Thread.sleep(settings.gcGraceMs() + 500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long deleted = strata.collectGarbage().objectsDeleted();
        long bytes = store.list("").stream().mapToLong(ObjectMeta::size).sum();
        GcOptions retention = GcOptions.defaults().withKeepVersions(settings.gcKeepVersions())
                .withVersionTtlMs(settings.gcTtlMs()).withVersionSpacingMs(settings.gcVersionSpacingMs())
                .withGraceMs(settings.gcGraceMs());
        CollectionStats stats = new StatsCollector(store).withRawBytes().withRetention(retention, java.time.Clock.systemUTC())
                .collect().collections().stream().filter(s -> s.id().equals(c.id())).findFirst().orElseThrow();
        return new AfterGc(bytes, deleted, stats.rawBytes(), stats.retainedBytes());
    }

    /** The STRATA_* settings of the environment (STRATA_PATH excepted: the benchmark owns its folder). */
    private static Map<String, String> envSettings() {
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((k, v) -> {
            if (Settings.NAMES.contains(k) && !k.equals("STRATA_PATH")) {
                env.put(k, v);
            }
        });
        return env;
    }

    /** The version manifest, the objects it names and every block of its blockfiles. */
    static Set<String> versionObjects(BlockCache cache, CollectionRecord record) {
        Set<String> keys = new LinkedHashSet<>();
        keys.add(record.versionKey());
        VersionManifest manifest = VersionManifest.decode(record.versionKey(), cache.store().get(record.versionKey()));
        for (String key : manifest.namedObjects()) {
            keys.add(key);
            if (ObjectKind.of(key) == ObjectKind.ROOT) {
                keys.addAll(BlockfileReader.objectKeysOf(cache, key));
            }
        }
        return keys;
    }

    /**
     * The written bytes by the part of the new version they belong to (its roots' names, e.g. record.ids; an index
     * segment's ivf.{segment}.postings counts as ivf.postings), else by kind of object (log, catalog, manifests).
     */
    static Map<String, Long> byPart(BlockCache cache, CollectionRecord record, Map<String, Long> written) {
        Map<String, String> partOf = new HashMap<>();
        if (record.versionKey() != null) {
            VersionManifest manifest = VersionManifest.decode(record.versionKey(), cache.store().get(record.versionKey()));
            manifest.roots().forEach((name, root) -> {
                String part = name.startsWith("ivf.") ? "ivf." + name.substring(name.lastIndexOf('.') + 1) : name;
                partOf.put(root, part);
                BlockfileReader.objectKeysOf(cache, root).forEach(k -> partOf.put(k, part));
            });
        }
        Map<String, Long> out = new java.util.TreeMap<>();
        written.forEach((key, bytes) -> out.merge(partOf.getOrDefault(key, ObjectKind.of(key).label()), bytes, Long::sum));
        return out;
    }

    static Map<ObjectKind, Long> minus(Map<ObjectKind, Long> after, Map<ObjectKind, Long> before) {
        Map<ObjectKind, Long> out = new java.util.EnumMap<>(ObjectKind.class);
        after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
        return out;
    }

    /** The value at quantile q (0..1) of sorted values, nearest rank. */
    static long quantile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String report(Options o, List<Compaction> compactions, Map<ObjectKind, Long> total, long stored,
            Map<ObjectKind, Long> storedByKind, long inStore, double seconds) {
        long[] bytes = compactions.stream().mapToLong(Compaction::compactionBytes).sorted().toArray();
        // The figure: compactions into the full-size collection, i.e. the last tenth of the ingest.
        List<Compaction> late = compactions.subList(compactions.size() - Math.max(1, compactions.size() / 10), compactions.size());
        long[] lateBytes = late.stream().mapToLong(Compaction::compactionBytes).sorted().toArray();
        long log = total.get(ObjectKind.LOG);
        long all = total.values().stream().mapToLong(Long::longValue).sum();
        long compaction = all - log;
        long[] millis = compactions.stream().mapToLong(Compaction::millis).sorted().toArray();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%n## Write amplification, %,d x %d%s in adds of %,d (%s, %d cores, load %s)%n%n",
                o.size(), o.dim(), o.vectorsOnly() ? " vectors only" : " with documents and metadata", o.batch(), java.time.Instant.now().toString().substring(0, 16) + "Z",
                Runtime.getRuntime().availableProcessors(), loadAverage()));
        s.append(String.format(Locale.ROOT, "final version stores %,d bytes (%s); the store holds %,d bytes in all%n",
                stored, kinds(storedByKind), inStore));
        s.append("| figure | bytes | / final stored |\n|---|---|---|\n");
        row(s, "compaction, median (all " + bytes.length + ")", quantile(bytes, 0.5), stored);
        row(s, "compaction, p90", quantile(bytes, 0.9), stored);
        row(s, "compaction, max", bytes[bytes.length - 1], stored);
        row(s, "compaction into the last tenth, median (" + lateBytes.length + ")", quantile(lateBytes, 0.5), stored);
        row(s, "compaction into the last tenth, p90", quantile(lateBytes, 0.9), stored);
        row(s, "compaction into the last tenth, max", lateBytes[lateBytes.length - 1], stored);
        row(s, "all compactions", compaction, stored);
        row(s, "log segment uploads", log, stored);
        row(s, "whole ingest (compactions + log)", all, stored);
        s.append(String.format(Locale.ROOT, "%nwritten by kind: %s%n", kinds(total)));
        Map<String, Long> allParts = new java.util.TreeMap<>();
        Map<String, Long> lateParts = new java.util.TreeMap<>();
        compactions.forEach(c -> c.byPart().forEach((k, v) -> allParts.merge(k, v, Long::sum)));
        late.forEach(c -> c.byPart().forEach((k, v) -> lateParts.merge(k, v, Long::sum)));
        s.append("\n| part of the version | bytes written, whole ingest | mean per compaction, last tenth |\n|---|---|---|\n");
        allParts.forEach((part, b) -> s.append(String.format(Locale.ROOT, "| %s | %,d | %,d |%n", part, b,
                lateParts.getOrDefault(part, 0L) / late.size())));
        s.append(String.format(Locale.ROOT, "add + compact: median %d ms, p90 %d ms, max %d ms; whole run %.0f s%n",
                quantile(millis, 0.5), quantile(millis, 0.9), millis[millis.length - 1], seconds));
        s.append(String.format(Locale.ROOT, "targets: median compaction into the full collection <= 2%% of stored: %s;"
                        + " whole ingest <= 3x stored: %s%n",
                quantile(lateBytes, 0.5) <= 0.02 * stored ? "met" : "NOT met", all <= 3 * stored ? "met" : "NOT met"));
        return s.toString();
    }

    private static void row(StringBuilder s, String name, long bytes, long stored) {
        s.append(String.format(Locale.ROOT, "| %s | %,d | %s |%n", name, bytes,
                bytes >= stored / 10 ? String.format(Locale.ROOT, "%.2fx", (double) bytes / stored)
                        : String.format(Locale.ROOT, "%.3f %%", 100.0 * bytes / stored)));
    }

    private static String kinds(Map<ObjectKind, Long> byKind) {
        StringBuilder s = new StringBuilder();
        byKind.forEach((k, v) -> {
            if (v > 0) {
                s.append(s.isEmpty() ? "" : ", ").append(k.label()).append(' ').append(String.format(Locale.ROOT, "%,d", v));
            }
        });
        return s.toString();
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "?";
        }
    }

    private static void writeTsv(Path file, List<Compaction> compactions) throws IOException {
        StringBuilder s = new StringBuilder("records\tcompaction_bytes\tlog_bytes");
        for (ObjectKind k : ObjectKind.values()) {
            s.append('\t').append(k.label());
        }
        s.append("\tmillis\n");
        for (Compaction c : compactions) {
            s.append(c.records()).append('\t').append(c.compactionBytes()).append('\t').append(c.logBytes());
            for (ObjectKind k : ObjectKind.values()) {
                s.append('\t').append(c.byKind().get(k));
            }
            s.append('\t').append(c.millis()).append('\n');
        }
        Files.writeString(file, s);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
