package dev.strata.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Collection;
import dev.strata.api.NotWriterException;
import dev.strata.api.Settings;
import dev.strata.engine.EmbeddedStrata;
import dev.strata.ops.Problem;
import dev.strata.ops.Verifier;
import dev.strata.ops.VerifyReport;
import dev.strata.storage.ForwardingObjectStore;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectLayout.LogSegment;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.RequestStats;
import dev.strata.storage.S3Options;
import dev.strata.testing.S3MockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writer takeover with epoch fencing (issue 12 item 7). A second node never fences a healthy writer: it watches the
 * lease, sees it renewed and is refused. A writer whose heartbeat stops (its lease requests hang, as for a dead or
 * frozen process) is replaced once its lease went unrenewed for the stale interval, and stops accepting writes by
 * itself. An old writer kept running as a zombie (a paused process that still believes it holds the lease) gets
 * nothing visible: its log segment put after the takeover is ignored by every reader, its catalog change is
 * refused, and it refuses writes from then on. No acknowledged write of either writer is lost. On local storage (two
 * folders sharing one objects folder) and on S3Mock, with durability {@code s3} (a write is acknowledged once its
 * segment is in the bucket).
 */
class TakeoverTest {

    /** Stale interval of the quicker tests (the defaults, 1 s / 3 s, are used by the healthy-writer test). */
    private static final Map<String, String> QUICK_LEASE = Map.of("STRATA_LEASE_RENEW_MS", "250",
            "STRATA_LEASE_STALE_MS", "1000");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "storage {0}")
    @ValueSource(strings = {"local", "s3"})
    void aHealthyWriterIsNeverFencedByASecondStart(String storage) throws Exception {
        Map<String, String> env = new HashMap<>(env(storage));
        // A heartbeat of 1 s (a second start sees it renewed within a second) and a stale interval of 3 s.
        env.put("STRATA_LEASE_RENEW_MS", "1000");
        env.put("STRATA_LEASE_STALE_MS", "3000");
        long staleMs = 3000;
        Map<String, String> acknowledged;
        try (EmbeddedStrata writer = EmbeddedStrata.open(settings("a", env))) {
            Collection c = writer.database().createCollection("kept", null, null);
            for (int attempt = 0; attempt < 3; attempt++) {
                c.upsert(CrashChild.records(0, ids(attempt * 10, 10), attempt));
                // The accidental second start watches the lease, sees it renewed, and leaves it alone.
                assertThatThrownBy(() -> EmbeddedStrata.open(settings("b", env)))
                        .isInstanceOfSatisfying(NotWriterException.class, e -> {
                            assertThat(e.kind()).isEqualTo(dev.strata.api.ErrorKind.UNAVAILABLE);
                            assertThat(e.getMessage()).contains("may not write").contains("alive")
                                    .contains("STRATA_READ_ONLY=true");
                        });
                assertThat(writer.holdsWriterLease()).isTrue();
            }
            c.upsert(CrashChild.records(0, ids(100, 5), 7)); // still the writer
            acknowledged = RestoreAndFencingTest.snapshot(c);
            assertThat(acknowledged).hasSize(35);
        }
        // Once the writer stopped (it releases its lease), the second node takes over without waiting.
        long started = System.nanoTime();
        try (EmbeddedStrata next = EmbeddedStrata.open(settings("b", env))) {
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("a released lease")
                    .isLessThan(staleMs + 20_000);
            Collection c = next.database().getCollection("kept");
            assertThat(RestoreAndFencingTest.snapshot(c)).isEqualTo(acknowledged);
            c.upsert(CrashChild.records(1, ids(200, 5), 1));
        }
    }

    @ParameterizedTest(name = "storage {0}")
    @ValueSource(strings = {"local", "s3"})
    void aWriterWhoseHeartbeatStopsIsReplacedAfterTheStaleIntervalAndItsLateWritesStayInvisible(String storage)
            throws Exception {
        Map<String, String> env = new HashMap<>(env(storage));
        env.putAll(QUICK_LEASE);
        LeaseGate heartbeat = new LeaseGate();
        EmbeddedStrata dead = EmbeddedStrata.openDecorated(settings("a", env), heartbeat::wrap);
        try {
            Collection old = dead.database().createCollection("replaced", null, null);
            old.add(CrashChild.records(0, ids(0, 30), 1));
            Map<String, String> acknowledged = new HashMap<>(RestoreAndFencingTest.snapshot(old));

            heartbeat.fail(); // the writer's process "dies": its lease is never renewed again
            long died = System.nanoTime();
            try (EmbeddedStrata successor = EmbeddedStrata.open(settings("b", env))) {
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - died);
                assertThat(tookMs).as("the lease is watched for the stale interval first").isGreaterThanOrEqualTo(1000);
                assertThat(tookMs).as("then taken over").isLessThan(20_000);
                assertThat(successor.holdsWriterLease()).isTrue();
                Collection next = successor.database().getCollection("replaced");
                assertThat(RestoreAndFencingTest.snapshot(next)).isEqualTo(acknowledged);

                // The old writer, unable to renew for the stale interval (nor before this write), refuses writes by
                // itself (503).
                assertThat(dead.holdsWriterLease()).isFalse();
                assertThatThrownBy(() -> old.upsert(CrashChild.records(0, ids(1000, 5), 9)))
                        .isInstanceOfSatisfying(NotWriterException.class, e -> {
                            assertThat(e.kind()).isEqualTo(dev.strata.api.ErrorKind.UNAVAILABLE);
                            assertThat(e.getMessage()).contains("not renewed");
                        });
                next.upsert(CrashChild.records(1, ids(100, 10), 2));
                acknowledged = new HashMap<>(RestoreAndFencingTest.snapshot(next));

                // Its heartbeat comes back (a frozen process wakes up): its renewal finds the new epoch.
                heartbeat.open();
                awaitTrue(() -> {
                    try {
                        old.upsert(CrashChild.records(0, ids(2000, 1), 9));
                        return false;
                    } catch (NotWriterException e) {
                        return e.getMessage().contains("taken over");
                    }
                }, "the old writer learns it was taken over");
                assertThat(RestoreAndFencingTest.snapshot(next)).isEqualTo(acknowledged).hasSize(40)
                        .doesNotContainKeys("r1000", "r2000");
            }
            try (EmbeddedStrata third = EmbeddedStrata.open(settings("c", env))) {
                assertThat(RestoreAndFencingTest.snapshot(third.database().getCollection("replaced")))
                        .isEqualTo(acknowledged);
            }
        } finally {
            heartbeat.open();
            dead.close();
        }
    }

    @org.junit.jupiter.api.Test
    void aStandbyNodeWaitsWhileTheWriterLivesAndTakesOverOnceItDies() throws Exception {
        Map<String, String> env = new HashMap<>(env("local"));
        env.putAll(QUICK_LEASE);
        LeaseGate heartbeat = new LeaseGate();
        EmbeddedStrata writer = EmbeddedStrata.openDecorated(settings("a", env), heartbeat::wrap);
        try {
            Collection c = writer.database().createCollection("standby", null, null);
            c.add(CrashChild.records(0, ids(0, 10), 1));
            Map<String, String> standbyEnv = new HashMap<>(env);
            standbyEnv.put("STRATA_LEASE_WAIT_MS", "60000");
            StandbyRequests seen = new StandbyRequests();
            CompletableFuture<EmbeddedStrata> standby = CompletableFuture.supplyAsync(
                    () -> EmbeddedStrata.openDecorated(settings("b", standbyEnv), seen::wrap));
            Thread.sleep(2500); // more than two stale intervals: the live writer keeps it standing by
            assertThat(standby).isNotDone();
            assertThat(writer.holdsWriterLease()).isTrue();
            c.upsert(CrashChild.records(0, ids(10, 5), 2));
            Map<String, String> acknowledged = RestoreAndFencingTest.snapshot(c);
            // While it waits, the standby follows the bucket read-only: it reads the log its writer uploads (the
            // upsert's segment too), so the takeover finds that code warm, and it writes nothing.
            awaitTrue(() -> seen.readSegmentThrough(2), "the standby reads the segment of the writer's last write");
            assertThat(Files.isDirectory(dir.resolve("b").resolve("standby"))).isTrue();
            assertThat(seen.writes).as("requests that would change the bucket while standing by").isEmpty();

            heartbeat.fail(); // the writer dies
            long died = System.nanoTime();
            try (EmbeddedStrata next = standby.get(30, TimeUnit.SECONDS)) {
                // The stale interval (1000 ms) runs from the last renewal the standby saw, up to one renewal
                // interval (250 ms) before the writer died.
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - died))
                        .as("the lease is watched for the stale interval first").isGreaterThanOrEqualTo(750);
                Collection taken = next.database().getCollection("standby");
                assertThat(RestoreAndFencingTest.snapshot(taken)).isEqualTo(acknowledged);
                assertThat(seen.segmentsReadAsWriter).as("segments the follower read, fetched again by the replay")
                        .doesNotContainAnyElementsOf(seen.segmentsRead);
                taken.upsert(CrashChild.records(1, ids(100, 3), 1));
                assertThat(taken.count()).isEqualTo(18);
                awaitTrue(() -> !Files.exists(dir.resolve("b").resolve("standby")),
                        "the follower's folder is deleted once the standby is the writer");
            }
        } finally {
            heartbeat.open();
            writer.close();
        }
    }

    @org.junit.jupiter.api.Test
    void aWriterRenewsFasterOnlyWhileAStandbyWatchesSoTheStandbyTakesOverWithinTheShortInterval() throws Exception {
        Map<String, String> env = new HashMap<>(env("local"));
        // Unwatched: a renewal every 2 s and a minute's stale interval; watched by a standby: 250 ms and 1 s.
        env.putAll(Map.of("STRATA_LEASE_RENEW_MS", "2000", "STRATA_LEASE_STALE_MS", "60000",
                "STRATA_LEASE_STANDBY_RENEW_MS", "250", "STRATA_LEASE_STANDBY_STALE_MS", "1000"));
        Path lease = dir.resolve("a").resolve("objects").resolve("lease.json");
        LeaseGate heartbeat = new LeaseGate();
        EmbeddedStrata writer = EmbeddedStrata.openDecorated(settings("a", env), heartbeat::wrap);
        try {
            Collection c = writer.database().createCollection("adaptive", null, null);
            c.add(CrashChild.records(0, ids(0, 10), 1));
            assertThat(Files.readString(lease)).as("unwatched").contains("\"staleMs\":60000");
            Map<String, String> standbyEnv = new HashMap<>(env);
            standbyEnv.put("STRATA_LEASE_WAIT_MS", "120000");
            CompletableFuture<EmbeddedStrata> standby = CompletableFuture.supplyAsync(
                    () -> EmbeddedStrata.open(settings("b", standbyEnv)));
            awaitTrue(() -> Files.exists(dir.resolve("a").resolve("objects").resolve("lease-standby.json")),
                    "the standby writes its beacon");
            awaitTrue(() -> {
                try {
                    return Files.readString(lease).contains("\"staleMs\":1000");
                } catch (java.io.IOException e) {
                    return false; // replaced under us: read it again
                }
            }, "the writer sees the beacon and declares the standby stale interval");
            assertThat(standby).isNotDone();
            Map<String, String> acknowledged = RestoreAndFencingTest.snapshot(c);

            heartbeat.fail(); // the writer dies
            long died = System.nanoTime();
            // Within the test's wait of 60 s only if the standby waited for the 1 s interval, not the unwatched minute.
            try (EmbeddedStrata next = standby.get(50, TimeUnit.SECONDS)) {
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - died))
                        .as("the lease is watched for the standby stale interval first").isGreaterThanOrEqualTo(750);
                Collection taken = next.database().getCollection("adaptive");
                assertThat(RestoreAndFencingTest.snapshot(taken)).isEqualTo(acknowledged);
            }
        } finally {
            heartbeat.open();
            writer.close();
        }
    }

    @ParameterizedTest(name = "storage {0}")
    @ValueSource(strings = {"local", "s3"})
    void aZombieWriterGetsNothingVisibleAndNoAcknowledgedWriteIsLost(String storage) throws Exception {
        Map<String, String> env = new HashMap<>(env(storage));
        env.putAll(QUICK_LEASE);
        // The zombie believes in its lease for a minute: a process paused between checking its lease and using it.
        Map<String, String> zombieEnv = new HashMap<>(env);
        zombieEnv.put("STRATA_LEASE_STALE_MS", "60000");
        LeaseGate gate = new LeaseGate();
        EmbeddedStrata zombie = EmbeddedStrata.openDecorated(settings("a", zombieEnv), gate::wrap);
        try {
            Collection old = zombie.database().createCollection("shared", null, null);
            old.add(CrashChild.records(0, ids(0, 30), 1)); // acknowledged before the takeover: must survive
            Map<String, String> acknowledged = new HashMap<>(RestoreAndFencingTest.snapshot(old));
            String logPrefix = ObjectLayout.logFolder(old.id().toString());

            // The zombie stops seeing the lease from here on: it is paused between its checks and its PUTs, and its
            // lease goes unrenewed, so a successor takes over after the stale interval.
            gate.close();
            long started = System.nanoTime();
            try (EmbeddedStrata successor = EmbeddedStrata.open(settings("b", env))) {
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertThat(tookMs).as("no TTL wait: the lease TTL is 30 s").isLessThan(20_000);
                assertThat(successor.holdsWriterLease()).isTrue();
                Collection next = successor.database().getCollection("shared");
                assertThat(RestoreAndFencingTest.snapshot(next)).isEqualTo(acknowledged);

                // 1. A zombie write whose log segment reaches the bucket after the takeover: never acknowledged.
                int before = zombieSegments(successor.store(), logPrefix, 1).size();
                CompletableFuture<Void> late = CompletableFuture.runAsync(
                        () -> old.upsert(CrashChild.records(0, ids(1000, 5), 9)));
                awaitTrue(() -> zombieSegments(successor.store(), logPrefix, 1).size() > before,
                        "the zombie's segment lands in the bucket");
                // 2. A zombie catalog change: the manifest CAS is refused (the successor wrote it), and that fences it.
                assertThatThrownBy(() -> zombie.database().createCollection("zombie-made", null, null))
                        .isInstanceOf(NotWriterException.class);
                gate.open();
                assertThatThrownBy(late::join).hasCauseInstanceOf(NotWriterException.class);
                assertThat(zombie.holdsWriterLease()).isFalse();
                // 3. From now on the zombie refuses writes before logging them, and still reads.
                assertThatThrownBy(() -> old.upsert(CrashChild.records(0, ids(2000, 3), 9)))
                        .isInstanceOf(NotWriterException.class).hasMessageContaining("taken over");
                assertThatThrownBy(old::compact).isInstanceOf(NotWriterException.class);
                assertThat(old.count()).isGreaterThanOrEqualTo(30);

                // The successor's acknowledged writes, after the zombie's late segment.
                next.upsert(CrashChild.records(1, ids(100, 20), 2));
                next.delete(dev.strata.api.DeleteRequest.ofIds("r0", "r1"));
                acknowledged = new HashMap<>(RestoreAndFencingTest.snapshot(next));
                assertThat(acknowledged).hasSize(48).doesNotContainKey("r1000");
                assertThat(successor.database().listCollections(null, 0)).extracting(Collection::name)
                        .containsExactly("shared");

                // A read-only node beside the successor reads its log, not the zombie's segment.
                Map<String, String> readOnly = new HashMap<>(env);
                readOnly.put("STRATA_READ_ONLY", "true");
                try (EmbeddedStrata reader = EmbeddedStrata.open(settings("reader", readOnly))) {
                    assertThat(RestoreAndFencingTest.snapshot(reader.database().getCollection("shared")))
                            .isEqualTo(acknowledged);
                }
            }
            // A third node recovering from the bucket alone sees every acknowledged write and nothing of the zombie.
            try (EmbeddedStrata third = EmbeddedStrata.open(settings("c", env))) {
                assertThat(RestoreAndFencingTest.snapshot(third.database().getCollection("shared")))
                        .isEqualTo(acknowledged);
                VerifyReport report = new Verifier(third.store()).verify();
                assertThat(report.errors()).isEmpty();
                assertThat(report.warnings()).anyMatch(p -> p.kind() == Problem.Kind.FENCED);
            }
        } finally {
            gate.open();
            zombie.close(); // a fenced node uploads nothing on close
        }
        try (EmbeddedStrata last = EmbeddedStrata.open(settings("c", env))) {
            assertThat(last.database().getCollection("shared").count()).isEqualTo(48);
        }
    }

    @ParameterizedTest(name = "storage {0}")
    @ValueSource(strings = {"local", "s3"})
    void nodesTakingTurnsKeepEveryAcknowledgedWrite(String storage) throws Exception {
        Map<String, String> env = new HashMap<>(env(storage));
        env.putAll(QUICK_LEASE);
        Map<String, String> expected = Map.of();
        EmbeddedStrata[] nodes = new EmbeddedStrata[2];
        LeaseGate[] heartbeats = {new LeaseGate(), new LeaseGate()};
        try {
            for (int turn = 0; turn < 4; turn++) {
                // Two folders take turns, each reopened after the other wrote: its stale local log is never reused.
                int folder = turn % 2;
                if (nodes[folder] != null) {
                    heartbeats[folder].open();
                    nodes[folder].close(); // fenced since the other's turn: it uploads and releases nothing
                }
                // The other node stays open with its heartbeat stopped, as after SIGKILL without releasing its
                // lease: taken over once its lease went unrenewed for the stale interval.
                heartbeats[1 - folder].close();
                heartbeats[folder] = new LeaseGate();
                nodes[folder] = EmbeddedStrata.openDecorated(settings(folder == 0 ? "a" : "b", env),
                        heartbeats[folder]::wrap);
                Collection c = turn == 0 ? nodes[folder].database().createCollection("turns", null, null)
                        : nodes[folder].database().getCollection("turns");
                assertThat(RestoreAndFencingTest.snapshot(c)).isEqualTo(expected);
                c.upsert(CrashChild.records(turn, ids(turn * 10, 10), turn));
                expected = RestoreAndFencingTest.snapshot(c);
            }
        } finally {
            for (int n = 0; n < 2; n++) {
                heartbeats[n].open();
                if (nodes[n] != null) {
                    nodes[n].close();
                }
            }
        }
        assertThat(expected).hasSize(40);
    }

    private Map<String, String> env(String storage) throws Exception {
        if (storage.equals("s3")) {
            S3Options bucket = S3MockServer.shared().newBucket("takeover");
            return CrashLoopTest.s3(bucket, "s3");
        }
        Files.createDirectories(dir.resolve("a"));
        for (String node : List.of("b", "c", "reader")) {
            Files.createDirectories(dir.resolve(node));
            Files.createSymbolicLink(dir.resolve(node).resolve("objects"), dir.resolve("a").resolve("objects"));
        }
        return Map.of("STRATA_STORAGE", "local", "STRATA_DURABILITY", "s3");
    }

    private Settings settings(String node, Map<String, String> env) {
        return Settings.defaults(dir.resolve(node)).withAll(env);
    }

    /** Log segments of the collection put under {@code epoch}. */
    private static List<LogSegment> zombieSegments(ObjectStore store, String prefix, long epoch) {
        return store.list(prefix).stream().map(ObjectMeta::key).map(ObjectLayout::parseLogSegment)
                .flatMap(java.util.Optional::stream).filter(k -> k.epoch() == epoch).toList();
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.get()) {
            assertThat(System.currentTimeMillis()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static List<String> ids(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> "r" + i).toList();
    }

    /** The requests of a standby node: the log segments it read and, until it is the writer, what it wrote. */
    private static final class StandbyRequests {
        final List<String> writes = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<LogSegment> segmentsRead = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<LogSegment> segmentsReadAsWriter = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean writer;

        boolean readSegmentThrough(long seq) {
            return segmentsRead.stream().anyMatch(k -> k.lastSeq() >= seq);
        }

        ObjectStore wrap(ObjectStore store) {
            return new ForwardingObjectStore(store) {
                @Override
                protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
                    switch (op) {
                        case GET, GET_RANGE -> ObjectLayout.parseLogSegment(key)
                                .ifPresent(writer ? segmentsReadAsWriter::add : segmentsRead::add);
                        case PUT, PUT_CONDITIONAL, DELETE -> {
                            if (key.endsWith("lease.json")) {
                                writer = true; // taking the lease over is its first write
                            } else if (!writer) {
                                writes.add(op + " " + key);
                            }
                        }
                        default -> { }
                    }
                    return call.get();
                }

                @Override
                public String describe() {
                    return delegate.describe();
                }
            };
        }
    }

    /**
     * Holds a node's requests for {@code lease.json} while closed: the node is "paused" between checking its lease
     * and using it, the window that epoch fencing must close without help from the lease. Failing, it refuses them
     * at once: the node's heartbeat is gone, as if its process had died, and a write it still attempts cannot
     * renew first either.
     */
    private static final class LeaseGate {
        private volatile CountDownLatch closed = new CountDownLatch(0);
        private volatile boolean failing;

        void close() {
            closed = new CountDownLatch(1);
        }

        void fail() {
            failing = true;
        }

        void open() {
            failing = false;
            closed.countDown();
        }

        ObjectStore wrap(ObjectStore store) {
            return new ForwardingObjectStore(store) {
                @Override
                protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
                    if (key != null && key.endsWith("lease.json")) {
                        if (failing) {
                            throw new dev.strata.storage.ObjectStoreException("lease unreachable (test)", key);
                        }
                        try {
                            closed.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return call.get();
                }

                @Override
                public RequestStats stats() {
                    return delegate.stats();
                }

                @Override
                public String describe() {
                    return delegate.describe();
                }

                @Override
                public void close() {
                    delegate.close();
                }
            };
        }
    }
}
