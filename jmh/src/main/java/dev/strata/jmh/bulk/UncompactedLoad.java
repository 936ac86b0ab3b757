package dev.strata.jmh.bulk;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.api.Space;
import dev.strata.api.Strata;
import dev.strata.engine.EmbeddedStrata;
import dev.strata.jmh.cold.ColdWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Adds {@code --size} records of {@code --dim} (ColdWorkload's: clustered unit vectors, a ~20-word document, two
 * metadata keys; ids and vectors only with {@code --vectors-only}) to collection {@code bulk} (cosine) of a new node
 * in {@code --path}, in adds of {@code --batch}, with compaction held back (threshold and interval out of reach, no
 * tail limit), and closes the node: its log then holds every record and its catalog no version. The loading JVM
 * needs a heap for the whole tail (about 2 KB per 384-d record); the compaction measured afterwards does not.
 */
public final class UncompactedLoad {

    private UncompactedLoad() {}

    public static void main(String[] args) throws Exception {
        int size = 1_000_000;
        int dim = 384;
        int batch = 10_000;
        long seed = 42;
        boolean vectorsOnly = false;
        Path path = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--vectors-only" -> vectorsOnly = true;
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--dim" -> dim = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--path" -> path = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--size N --dim D --batch B --seed S --path DIR --vectors-only)");
            }
        }
        if (path == null) {
            throw new IllegalArgumentException("--path DIR is required");
        }
        if (Files.exists(path)) {
            throw new IllegalArgumentException(path + " exists: give a new folder");
        }
        Settings settings = Settings.defaults(path).withAll(Map.of(
                "STRATA_COMPACTION_THRESHOLD_RECORDS", String.valueOf(Integer.MAX_VALUE),
                "STRATA_COMPACTION_INTERVAL_MS", String.valueOf(Duration.ofDays(30).toMillis()),
                "STRATA_MAX_BATCH_SIZE", String.valueOf(batch)));
        ColdWorkload workload = new ColdWorkload(seed, dim);
        long t0 = System.nanoTime();
        try (Strata strata = EmbeddedStrata.open(settings)) {
            Collection c = strata.getDatabase(Strata.DEFAULT_TENANT, Strata.DEFAULT_DATABASE).createCollection("bulk", null,
                    CollectionConfiguration.defaults().withSpace(Space.COSINE));
            long next = System.nanoTime();
            for (int from = 0; from < size; from += batch) {
                int count = Math.min(batch, size - from);
                RecordSet records = workload.records(from, count);
                c.add(vectorsOnly ? RecordSet.builder().ids(records.ids()).embeddings(records.embeddings()).build() : records);
                if (System.nanoTime() >= next || from + count == size) {
                    System.out.printf(Locale.ROOT, "uncompacted-load: %,d / %,d records, %.0f s%n", from + count, size,
                            (System.nanoTime() - t0) / 1e9);
                    next = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                }
            }
        }
        System.out.printf(Locale.ROOT, "uncompacted-load: done in %.0f s; the log of collection bulk holds every record%n",
                (System.nanoTime() - t0) / 1e9);
    }
}
