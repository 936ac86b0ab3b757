package dev.strata.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.GetRequest;
import dev.strata.api.GetResult;
import dev.strata.api.Include;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.Settings;
import dev.strata.api.Strata;
import dev.strata.api.Where;
import dev.strata.engine.EmbeddedStrata;
import dev.strata.gc.GcReport;
import dev.strata.ops.Verifier;
import dev.strata.ops.VerifyReport;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStores;
import dev.strata.storage.S3Encryption;
import dev.strata.storage.S3Options;
import dev.strata.storage.StorageOptions;
import dev.strata.testing.BucketSettings;
import dev.strata.testing.S3MockServer;
import dev.strata.testing.S3Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash loop: a node in a child JVM writes and reads concurrently and is killed with SIGKILL at random
 * moments (while opening and recovering, during writes, log uploads, compaction and GC, which run constantly with
 * the low thresholds set here); after each kill the node is reopened and must hold every acknowledged write with
 * its content, each batch in flight at the kill whole or not at all, and answer queries. At the end the bucket
 * must verify without errors. {@code -Dstrata.crash.iterations=100} (or scripts/crash-loop) runs the long version.
 *
 * <p>On S3 the nodes write with SSE-KMS through an {@link S3Proxy} that allows only the minimal policy
 * (s3:GetObject, s3:PutObject, s3:DeleteObject, s3:ListBucket): every object any child uploaded, including those
 * GC deleted since, must have asked for the KMS key and carried a CRC32C, and no request may need more.
 */
class CrashLoopTest {

    /** Kills per storage: local storage gets them all, S3Mock splits them between its two durability modes. */
    private static final int ITERATIONS = Integer.getInteger("strata.crash.iterations", 20);
    private static final int WRITERS = 3;
    private static final int READERS = 2;
    private static final int IDS_PER_WRITER = 40;
    private static final long VERSIONS_PER_RUN = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void localStorageLocalDurability() throws Exception {
        crashLoop("local/local", Map.of("STRATA_STORAGE", "local", "STRATA_DURABILITY", "local"), null, ITERATIONS);
    }

    @Test
    void s3StorageLocalDurability() throws Exception {
        S3Options bucket = S3MockServer.shared().newBucket("crash-local");
        try (S3Proxy proxy = S3Proxy.inFrontOfS3Mock().allowOnly(LeastPrivilegeTest.MINIMAL_POLICY)) {
            crashLoop("s3/local", kms(proxy.route(bucket), "local"), bucket, Math.max(1, ITERATIONS / 2));
            assertEveryUploadEncryptedAndAllowed(proxy);
        }
    }

    @Test
    void s3StorageS3Durability() throws Exception {
        S3Options bucket = S3MockServer.shared().newBucket("crash-s3");
        try (S3Proxy proxy = S3Proxy.inFrontOfS3Mock().allowOnly(LeastPrivilegeTest.MINIMAL_POLICY)) {
            crashLoop("s3/s3", kms(proxy.route(bucket), "s3"), bucket, Math.max(1, ITERATIONS - ITERATIONS / 2));
            assertEveryUploadEncryptedAndAllowed(proxy);
        }
    }

    /** The variables of {@link #s3} with SSE-KMS under S3Mock's key. */
    private static Map<String, String> kms(S3Options bucket, String durability) {
        Map<String, String> env = new LinkedHashMap<>(s3(bucket, durability));
        env.put("STRATA_S3_SSE", "aws:kms");
        env.put("STRATA_S3_KMS_KEY_ID", S3MockServer.KMS_KEY_ID);
        return env;
    }

    private static void assertEveryUploadEncryptedAndAllowed(S3Proxy proxy) {
        assertThat(proxy.refused()).as("requests outside the minimal policy").isEmpty();
        // lease, catalog manifest, log segments, blocks, roots, version manifests: every kind of object a node writes
        for (String kind : List.of("/lease.json", "/catalog/manifest.json", "/log/", "/b/", "/r/", "/v/")) {
            assertThat(proxy.successfulWrites()).as("uploads of %s", kind).anyMatch(c -> c.path().contains(kind));
        }
        assertThat(proxy.uploadProblems(0, S3Encryption.kms(S3MockServer.KMS_KEY_ID)))
                .as("uploads without SSE-KMS and its key, or without a CRC32C").isEmpty();
    }

    static Map<String, String> s3(S3Options bucket, String durability) {
        return BucketSettings.of(bucket, durability);
    }

    /** Small segments, frequent uploads, compaction and GC as eager as the settings allow. */
    static Map<String, String> busy(Map<String, String> storage) {
        Map<String, String> env = new LinkedHashMap<>(storage);
        env.put("STRATA_WAL_SEGMENT_BYTES", "8192");
        env.put("STRATA_WAL_UPLOAD_INTERVAL_MS", "50");
        env.put("STRATA_COMPACTION_THRESHOLD_RECORDS", "20");
        env.put("STRATA_COMPACTION_INTERVAL_MS", "100");
        env.put("STRATA_GC_KEEP_VERSIONS", "1");
        env.put("STRATA_GC_TTL_MS", "0");
        env.put("STRATA_CACHE_MEMORY_BYTES", String.valueOf(32 << 20));
        env.put("STRATA_CACHE_DISK_BYTES", String.valueOf(16 << 20));
        return env;
    }

    private void crashLoop(String name, Map<String, String> storage, S3Options bucket, int iterations)
            throws Exception {
        Map<String, String> env = busy(storage);
        Path path = dir.resolve("node");
        Settings settings = Settings.defaults(path).withAll(env);
        long seed = Long.getLong("strata.crash.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        AckModel model = new AckModel();
        int kills = 0;
        int killsBeforeReady = 0;
        long acks = 0;
        for (int iteration = 0; iteration < iterations; iteration++) {
            List<String> args = new ArrayList<>(List.of(path.toString(), String.valueOf(WRITERS),
                    String.valueOf(READERS), String.valueOf(IDS_PER_WRITER),
                    String.valueOf((iteration + 1) * VERSIONS_PER_RUN), String.valueOf(random.nextLong())));
            env.forEach((k, v) -> args.add(k + "=" + v));
            Path stderr = dir.resolve("child-" + iteration + ".err");
            List<ChildLine> lines;
            try (ChildJvm child = ChildJvm.start(CrashChild.class, dir.resolve("child-" + iteration + ".out"), stderr,
                    args)) {
                if (random.nextInt(100) < 15) {
                    // Kill at any moment of startup: while the log is recovered or the lease retaken.
                    Thread.sleep(random.nextInt(100, 1_500));
                } else {
                    assertThat(child.awaitReady(120_000)).as("child %d started: %s", iteration, child.stderrTail())
                            .isTrue();
                    Thread.sleep(random.nextInt(30, 1_500));
                }
                assertThat(child.isAlive()).as("child %d still running when killed: %s", iteration,
                        child.stderrTail()).isTrue();
                child.kill();
                kills++;
                lines = child.lines();
            }
            AckModel.Run run = model.ingest(lines);
            assertThat(run.problems()).as("[%s seed %d] child %d reported", name, seed, iteration).isEmpty();
            killsBeforeReady += run.ready() ? 0 : 1;
            acks += run.acks();
            try (Strata strata = Strata.open(settings)) {
                Collection c = strata.database().getOrCreateCollection(CrashChild.COLLECTION, null, null);
                Map<String, Long> observed = readAll(c);
                List<String> problems = model.reconcile(observed, run.inFlight());
                if (!problems.isEmpty()) {
                    keepForDiagnosis(name, seed, iteration);
                }
                assertThat(problems)
                        .as("[%s seed %d] after kill %d (%d writes in flight)", name, seed, iteration,
                                run.inFlight().size())
                        .isEmpty();
                checkQueries(c, model.present(), random);
            }
        }
        GcReport gc = collectGarbage(settings);
        assertThat(gc.failures()).as("[%s] final GC", name).isEmpty();
        VerifyReport report = verify(path, bucket);
        assertThat(report.errors()).as("[%s] verify", name).isEmpty();
        assertThat(report.warnings()).as("[%s] objects no version names after a GC", name).isEmpty();
        System.out.printf("crash loop %s (seed %d): %d kills (%d before the node was ready), %d acknowledged writes "
                        + "checked, %d record reads verified, %d records at the end; final GC deleted %d objects; verify checked %d "
                        + "objects, %d errors, %d unreferenced%n",
                name, seed, kills, killsBeforeReady, acks, model.recordsVerified(), model.present().size(),
                gc.objectsDeleted(), report.objectsChecked(), report.errors().size(), report.warnings().size());
        assertThat(kills).isEqualTo(iterations);
        assertThat(acks).as("writes acknowledged over the loop").isPositive();
    }

    /** Copies the failing child's output and the node's folder to target/crash-loop-failures for a look. */
    private void keepForDiagnosis(String name, long seed, int iteration) throws java.io.IOException {
        Path target = Path.of("target", "crash-loop-failures", name.replace('/', '-') + "-" + seed);
        java.nio.file.Files.createDirectories(target);
        for (String suffix : List.of(".out", ".err")) {
            Path file = dir.resolve("child-" + iteration + suffix);
            if (java.nio.file.Files.exists(file)) {
                java.nio.file.Files.copy(file, target.resolve(file.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        System.out.println("crash loop " + name + ": the failing child's output is in " + target.toAbsolutePath());
    }

    /** Every record the node holds, checked whole; id to the version it holds. */
    private static Map<String, Long> readAll(Collection c) {
        GetResult all = c.get(GetRequest.builder()
                .include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS).build());
        Map<String, Long> observed = new HashMap<>();
        List<String> torn = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            String id = all.ids().get(i);
            String problem = Content.problem(id, all.documents().get(i), all.metadatas().get(i), all.embeddings().get(i));
            if (problem != null) {
                torn.add(problem);
            }
            assertThat(observed.put(id, Content.versionOf(id, all.documents().get(i)))).as("duplicate id %s", id).isNull();
        }
        assertThat(torn).as("records read whole").isEmpty();
        assertThat(c.count()).isEqualTo(observed.size());
        return observed;
    }

    /** Queries answer: a record's own embedding finds it first, a filter keeps to its writer. */
    private static void checkQueries(Collection c, Map<String, Long> present, SplittableRandom random) {
        List<String> ids = new ArrayList<>(present.keySet());
        for (int i = 0; i < Math.min(5, ids.size()); i++) {
            String id = ids.get(random.nextInt(ids.size()));
            QueryResult r = c.query(QueryRequest.builder().queryEmbeddings(Content.embedding(id, present.get(id)))
                    .nResults(3).build());
            assertThat(r.ids().getFirst()).as("nearest to %s's own embedding", id).first().isEqualTo(id);
        }
        QueryResult filtered = c.query(QueryRequest.builder().queryEmbeddings(Content.embedding("q", random.nextLong()))
                .nResults(10).where(Where.eq("w", 1)).include(Include.METADATAS).build());
        long expected = present.keySet().stream().filter(id -> id.startsWith("w1-")).count();
        assertThat(filtered.ids().getFirst()).hasSize((int) Math.min(10, expected)).allMatch(id -> id.startsWith("w1-"));
    }

    /**
     * One GC pass with no grace period on the node reopened after the last kill, background compaction held off:
     * what the kills left unreferenced (superseded versions, compacted log, a killed compaction's files) must all
     * be collectable. GC spares files written after the current version's manifest, since it cannot tell a killed
     * compaction's files from those of one in flight; so one write and one compaction first make a version newer
     * than anything a kill left behind.
     */
    private static GcReport collectGarbage(Settings settings) throws InterruptedException {
        Settings quiet = settings.withAll(Map.of("STRATA_GC_GRACE_MS", "0",
                "STRATA_COMPACTION_THRESHOLD_RECORDS", String.valueOf(Integer.MAX_VALUE),
                "STRATA_COMPACTION_INTERVAL_MS", String.valueOf(Long.MAX_VALUE / 2)));
        try (EmbeddedStrata strata = EmbeddedStrata.open(quiet)) {
            Collection c = strata.database().getOrCreateCollection(CrashChild.COLLECTION, null, null);
            // S3 lists modification times to the second: the new manifest must be later than a killed
            // compaction's files by the store's clock, not only by ours.
            Thread.sleep(1_100);
            c.upsert(CrashChild.records(0, List.of("gc-marker"), 1));
            c.compact();
            return strata.collectGarbage();
        }
    }

    private static VerifyReport verify(Path path, S3Options bucket) {
        StorageOptions options = bucket == null ? StorageOptions.local() : StorageOptions.s3(bucket);
        try (ObjectStore store = ObjectStores.open(options, path)) {
            return new Verifier(store).verify();
        }
    }
}
