package dev.strata.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Collection;
import dev.strata.api.Database;
import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.InternalException;
import dev.strata.api.QueryRequest;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.api.StrataException;
import dev.strata.api.UnimplementedException;
import dev.strata.catalog.CollectionRecord;
import dev.strata.engine.CollectionRuntime;
import dev.strata.engine.EmbeddedStrata;
import dev.strata.storage.FaultInjectingObjectStore;
import dev.strata.storage.FaultInjectingObjectStore.Fault;
import dev.strata.storage.RequestStats;
import dev.strata.storage.S3Options;
import dev.strata.testing.BucketSettings;
import dev.strata.testing.S3MockServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A mixed workload (writers add, upsert and delete; readers get and query) against a store that fails
 * a quarter of all requests the ways S3 does, then against a store that is down, then healed: writes
 * succeed or fail with a StrataException, reads of warm data keep being served, the log upload (and
 * compaction, where the node compacts) resumes after healing, and after a reopen every acknowledged
 * write is there.
 */
class ObjectStoreFaultsTest {

    private static final List<String> COLLECTIONS = List.of("alpha", "beta", "gamma");
    private static final int OPS_PER_WRITER = 40;
    private static final Fault[] ALL_FAULTS = Fault.values();

    enum Setup {
        LOCAL_STORE_LOCAL_DURABILITY(false, "local"),
        LOCAL_STORE_S3_DURABILITY(false, "s3"),
        S3MOCK_LOCAL_DURABILITY(true, "local"),
        S3MOCK_S3_DURABILITY(true, "s3");

        final boolean s3Mock;
        final String durability;

        Setup(boolean s3Mock, String durability) {
            this.s3Mock = s3Mock;
            this.durability = durability;
        }

        boolean acksAfterUpload() {
            return durability.equals("s3");
        }
    }

    @TempDir
    Path dir;

    private final AckedWriteModel model = new AckedWriteModel();
    private final Map<String, AtomicInteger> fresh = new java.util.concurrent.ConcurrentHashMap<>();

    private static Settings settings(Setup setup, Path path, S3Options bucket) {
        Map<String, String> env = new HashMap<>();
        env.put("STRATA_DURABILITY", setup.durability);
        env.put("STRATA_WAL_SEGMENT_BYTES", "4096");
        env.put("STRATA_WAL_UPLOAD_INTERVAL_MS", "50");
        env.put("STRATA_COMPACTION_THRESHOLD_RECORDS", "50");
        env.put("STRATA_COMPACTION_INTERVAL_MS", "500");
        if (bucket != null) {
            env.putAll(BucketSettings.of(bucket));
        }
        return Settings.defaults(path).withAll(env);
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void acknowledgedWritesSurviveAFailingStoreAndWorkResumesAfterHealing(Setup setup) throws Exception {
        S3Options bucket = setup.s3Mock ? S3MockServer.shared().newBucket("faults") : null;
        Settings settings = settings(setup, dir.resolve("node"), bucket);
        AtomicReference<FaultInjectingObjectStore> faults = new AtomicReference<>();
        Report report = new Report();

        try (EmbeddedStrata strata = EmbeddedStrata.openDecorated(settings, store -> {
            FaultInjectingObjectStore f = new FaultInjectingObjectStore(store, 7);
            faults.set(f);
            return f;
        })) {
            Database db = strata.database();
            for (String name : COLLECTIONS) {
                Collection c = db.createCollection(name, null, null);
                write(c, name, new Random(name.hashCode()), report); // healthy: fixes the dimension
            }
            FaultInjectingObjectStore store = faults.get();

            // 1. A quarter of all requests fail, every fault kind, every op type.
            store.failingAll(0.25, ALL_FAULTS);
            runMixedWorkload(db, report);
            // At least 4 catalog changes, and more until a fault has landed: at a 25% rate a short
            // workload on a local log may send too few requests for one to be sure.
            for (int i = 0; i < 4 || (store.totalInjected() == 0 && i < 64); i++) {
                try {
                    db.createCollection("extra-" + i, null, null); // a catalog CAS on a failing store
                } catch (StrataException e) {
                    report.writeFailures.incrementAndGet();
                }
            }
            assertThat(store.totalInjected()).as("faults injected").isPositive();

            // 2. The store is down: reads of warm data are served from memory and the block cache.
            store.heal();
            Map<String, Long> versions = versions(strata, db);
            for (String name : COLLECTIONS) {
                warmReads(db.getCollection(name));
            }
            store.failingAll(1.0, Fault.SERVICE_UNAVAILABLE);
            long readsTried = store.injected(RequestStats.Op.GET) + store.injected(RequestStats.Op.GET_RANGE);
            long hitsBefore = strata.cache().hits();
            int refused = 0;
            for (String name : COLLECTIONS) {
                try {
                    warmReads(db.getCollection(name));
                    report.readsDuringOutage++;
                } catch (StrataException e) {
                    refused++;
                }
            }
            report.storeReadsTriedDuringOutage = store.injected(RequestStats.Op.GET)
                    + store.injected(RequestStats.Op.GET_RANGE) - readsTried;
            report.cacheHitsDuringOutage = strata.cache().hits() - hitsBefore;
            if (versions(strata, db).equals(versions)) {
                // Background compaction may publish a version whose blocks are not cached yet; else nothing is missing.
                assertThat(refused).as("warm reads refused while the store is down").isZero();
            }

            long uploadsBefore = strata.wal().stats().uploads();
            if (setup.acksAfterUpload()) {
                // Nothing can be uploaded, so nothing is acknowledged: each write fails with a typed error.
                Collection c = db.getCollection("alpha");
                for (int i = 0; i < 3; i++) {
                    Map<String, String> states = upsertStates("alpha", "down-" + i, "v");
                    assertThatThrownBy(() -> c.upsert(recordsOf(states))).isInstanceOf(InternalException.class);
                    model.record("alpha", states, false);
                    report.writeFailures.incrementAndGet();
                }
            } else {
                // The log is local: writes are acknowledged and wait for the store in sealed segments.
                Collection c = db.getCollection("beta");
                for (int i = 0; i < 12; i++) {
                    Map<String, String> states = upsertStates("beta", "down-" + i, "x".repeat(600));
                    c.upsert(recordsOf(states));
                    model.record("beta", states, true);
                    report.writes.incrementAndGet();
                }
                awaitTrue("sealed log segments pile up while the store is down", 10,
                        () -> strata.wal().stats().segmentsAwaitingUpload() > 0);
                report.segmentsAwaitingAtHeal = strata.wal().stats().segmentsAwaitingUpload();
            }

            // 3. Healed: the background upload catches up without help.
            store.heal();
            awaitTrue("every sealed log segment uploaded after healing", 30,
                    () -> strata.wal().stats().segmentsAwaitingUpload() == 0);
            if (!setup.acksAfterUpload()) {
                assertThat(strata.wal().stats().uploads()).isGreaterThan(uploadsBefore);
            }
            // Writes work again on this node, without a reopen.
            for (String name : COLLECTIONS) {
                Map<String, String> states = upsertStates(name, "healed", "v");
                db.getCollection(name).upsert(recordsOf(states));
                model.record(name, states, true);
                report.writes.incrementAndGet();
            }
            report.compacted = compactIfTheNodeCompacts(strata, db);
        }

        // 4. Reopened on a healthy store: every acknowledged write is there, and writes work everywhere.
        try (EmbeddedStrata strata = EmbeddedStrata.open(settings)) {
            Database db = strata.database();
            for (String name : COLLECTIONS) {
                Collection c = db.getCollection(name);
                model.verify(c, name);
                Map<String, String> states = upsertStates(name, "after", "v");
                c.upsert(recordsOf(states));
                model.record(name, states, true);
                model.verify(c, name);
            }
        }
        System.out.printf("faults %s: %s, certain records checked %d%n", setup, report, model.certainCount());
        assertThat(report.writes.get()).as("acknowledged writes").isPositive();
        assertThat(report.reads.get()).as("reads served under faults").isPositive();
        if (setup.acksAfterUpload()) {
            assertThat(report.writeFailures.get()).as("writes refused while uploads fail").isPositive();
        }
    }

    /** Three writers (add, upsert, delete of their own collection) and two readers, at once. */
    private void runMixedWorkload(Database db, Report report) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(COLLECTIONS.size() + 2);
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (String name : COLLECTIONS) {
                Collection c = db.getCollection(name);
                writers.add(pool.submit(() -> {
                    Random random = new Random(name.hashCode());
                    for (int i = 0; i < OPS_PER_WRITER; i++) {
                        write(c, name, random, report);
                    }
                    return null;
                }));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    while (writing.get()) {
                        for (String name : COLLECTIONS) {
                            try {
                                read(db.getCollection(name), report);
                            } catch (StrataException e) {
                                report.readFailures.incrementAndGet();
                            } catch (Throwable t) {
                                unexpected.add(t);
                            }
                        }
                        Thread.sleep(1); // leave the shared cores to the writers
                    }
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<?> f : readers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
        assertThat(unexpected).as("reads that failed with something other than a StrataException").isEmpty();
    }

    /** One random write; a failure must be a StrataException. Reads its own acknowledged write back. */
    private void write(Collection c, String name, Random random, Report report) {
        int kind = random.nextInt(3);
        Map<String, String> states = new LinkedHashMap<>();
        Runnable op;
        if (kind == 0) {
            AtomicInteger counter = fresh.computeIfAbsent(name, n -> new AtomicInteger());
            for (int i = 0; i < 2; i++) {
                String id = name + "-" + counter.getAndIncrement();
                states.put(id, id + "@" + UUID.randomUUID());
            }
            op = () -> c.add(recordsOf(states));
        } else if (kind == 1) {
            int known = Math.max(1, fresh.computeIfAbsent(name, n -> new AtomicInteger()).get());
            for (int i = 0; i < 3; i++) {
                // Only ids an add already used: an add of an existing id is ignored, which the model does not follow.
                String id = name + "-" + random.nextInt(known);
                states.put(id, id + "@" + UUID.randomUUID());
            }
            op = () -> c.upsert(recordsOf(states));
        } else {
            int known = Math.max(1, fresh.computeIfAbsent(name, n -> new AtomicInteger()).get());
            String id = name + "-" + random.nextInt(known);
            states.put(id, AckedWriteModel.ABSENT);
            op = () -> c.delete(DeleteRequest.ofIds(id));
        }
        try {
            op.run();
        } catch (StrataException e) {
            model.record(name, states, false);
            report.writeFailures.incrementAndGet();
            return;
        }
        model.record(name, states, true);
        report.writes.incrementAndGet();
        String id = states.keySet().iterator().next();
        try {
            var got = c.get(GetRequest.builder().ids(id).build());
            String expected = states.get(id);
            assertThat(got.ids()).as("read-your-writes of %s", id)
                    .isEqualTo(expected.equals(AckedWriteModel.ABSENT) ? List.of() : List.of(id));
            if (!got.ids().isEmpty()) {
                assertThat(got.documents()).containsExactly(expected);
            }
        } catch (StrataException e) {
            report.readFailures.incrementAndGet();
        }
    }

    /** The same reads each time: a get of everything and a few queries. */
    private static void warmReads(Collection c) {
        assertThat(c.get(GetRequest.all()).ids()).isNotEmpty();
        for (int i = 0; i < 5; i++) {
            assertThat(c.query(QueryRequest.builder().queryEmbeddings(new float[] {i, 1}).nResults(3).build()).ids())
                    .hasSize(1);
        }
    }

    private static Map<String, Long> versions(EmbeddedStrata strata, Database db) {
        Map<String, Long> out = new HashMap<>();
        for (String name : COLLECTIONS) {
            out.put(name, strata.catalog().getCollection(db.getCollection(name).id()).version());
        }
        return out;
    }

    private static void read(Collection c, Report report) {
        c.get(GetRequest.builder().limit(20).build());
        c.query(QueryRequest.builder().queryEmbeddings(new float[] {1, 2}).nResults(3).build());
        report.reads.incrementAndGet();
    }

    /** The state an upsert of record {@code name-suffix} with a document ending in {@code payload} leaves. */
    private static Map<String, String> upsertStates(String name, String suffix, String payload) {
        String id = name + "-" + suffix;
        return Map.of(id, id + "@" + payload);
    }

    private static RecordSet recordsOf(Map<String, String> states) {
        List<String> ids = new ArrayList<>(states.keySet());
        List<float[]> embeddings = ids.stream().map(id -> new float[] {id.hashCode() % 97, id.length()}).toList();
        List<String> documents = ids.stream().map(states::get).toList();
        return RecordSet.builder().ids(ids).embeddings(embeddings).documents(documents).build();
    }

    /**
     * Compacts every collection where the node compacts (a node without compaction says so with
     * UnimplementedException) and checks that each catalog version advanced; returns how many did.
     */
    private static int compactIfTheNodeCompacts(EmbeddedStrata strata, Database db) {
        int compacted = 0;
        for (String name : COLLECTIONS) {
            Collection c = db.getCollection(name);
            long before = strata.catalog().getCollection(c.id()).version();
            try {
                c.compact();
            } catch (UnimplementedException e) {
                continue;
            }
            // Background compaction (500 ms here) may already have taken the last writes: then there is
            // nothing left to compact, and what must hold is that the version covers the whole log.
            CollectionRecord after = strata.catalog().getCollection(c.id());
            assertThat(after.version()).as("version of %s after compaction", name).isGreaterThan(0).isGreaterThanOrEqualTo(before);
            assertThat(after.logCursor()).as("log cursor of %s after compaction", name)
                    .isEqualTo(strata.wal().lastSeq(CollectionRuntime.logName(c.id())));
            compacted++;
        }
        return compacted;
    }

    private static void awaitTrue(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private static final class Report {
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger writeFailures = new AtomicInteger();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger readFailures = new AtomicInteger();
        int readsDuringOutage;
        long storeReadsTriedDuringOutage;
        long cacheHitsDuringOutage;
        int segmentsAwaitingAtHeal;
        int compacted;

        @Override
        public String toString() {
            return "writes acked " + writes + ", failed " + writeFailures + "; reads " + reads + ", failed "
                    + readFailures + "; during the outage: collections read " + readsDuringOutage + ", store reads tried "
                    + storeReadsTriedDuringOutage + ", cache hits "
                    + cacheHitsDuringOutage + "; sealed segments waiting at heal " + segmentsAwaitingAtHeal
                    + "; collections compacted after heal " + compacted;
        }
    }
}
