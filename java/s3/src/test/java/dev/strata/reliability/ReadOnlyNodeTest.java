package dev.strata.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Collection;
import dev.strata.api.Database;
import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.Include;
import dev.strata.api.NotWriterException;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.ReadOnlyException;
import dev.strata.api.Settings;
import dev.strata.api.Strata;
import dev.strata.api.Where;
import dev.strata.engine.EmbeddedStrata;
import dev.strata.gc.GcReason;
import dev.strata.ops.Verifier;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStores;
import dev.strata.storage.RequestStats;
import dev.strata.storage.S3Options;
import dev.strata.storage.StorageOptions;
import dev.strata.testing.S3MockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-only node beside the writer of a bucket (S3Mock): it takes no lease, serves what the writer compacted and
 * uploaded, follows it on refresh, refuses every write with {@link ReadOnlyException}, and puts nothing in the
 * bucket. The nodes take turns where the writer's conditional writes matter (S3Mock's are not atomic under
 * concurrent writers); the reader never writes conditionally.
 */
class ReadOnlyNodeTest {

    @TempDir
    Path dir;

    @Test
    void aReadOnlyNodeServesFollowsAndNeverWritesTheWritersBucket() {
        S3Options bucket = S3MockServer.shared().newBucket("read-only");
        // GC keeps everything: between two steps the writer changes nothing.
        Map<String, String> env = compactingOnlyWhenAsked(bucket);
        Settings writerSettings = Settings.defaults(dir.resolve("writer")).withAll(env);
        Settings readerSettings = readOnly(env);

        Map<String, String> lastWritten;
        try (EmbeddedStrata writer = EmbeddedStrata.open(writerSettings)) {
            Collection w = writer.database().createCollection("shared", Map.of("owner", "writer"), null);
            w.add(CrashChild.records(0, ids(0, 120), 1));
            w.compact(); // version 1
            w.upsert(CrashChild.records(1, ids(100, 40), 2)); // in the uploaded log only
            w.delete(DeleteRequest.ofIds("r5"));

            // The default mode still refuses a second node, and says what to do instead.
            assertThatThrownBy(() -> Strata.open(Settings.defaults(dir.resolve("second")).withAll(env)))
                    .isInstanceOf(NotWriterException.class).hasMessageContaining("STRATA_READ_ONLY=true");

            Map<String, String> bucketBefore = objects(bucket);
            EmbeddedStrata reader = EmbeddedStrata.open(readerSettings);
            try {
                assertThat(reader.isReadOnly()).isTrue();
                assertThat(reader.holdsWriterLease()).isFalse();
                assertThat(writer.holdsWriterLease()).as("the writer keeps its lease").isTrue();
                Collection r = reader.database().getCollection("shared");
                assertThat(r.metadata()).isEqualTo(Map.of("owner", "writer"));
                assertSameReads(w, r);
                assertThat(r.count()).isEqualTo(139);

                everyWriteIsRefused(reader, r);
                assertSameReads(w, r);
                assertThat(objects(bucket)).as("the reader put nothing in the bucket, deleted nothing")
                        .isEqualTo(bucketBefore);

                // The writer goes on: a new version, then more log on top of it.
                w.upsert(CrashChild.records(2, ids(150, 30), 3));
                w.compact(); // version 2
                w.delete(DeleteRequest.of(Where.eq("w", 0)));
                w.add(CrashChild.records(3, ids(300, 10), 4));
                Collection later = writer.database().createCollection("later", null, null);
                later.add(CrashChild.records(4, ids(0, 5), 1));
                assertThat(r.count()).as("before refresh: what it saw").isEqualTo(139);

                reader.refresh();
                assertSameReads(w, r);
                assertThat(r.count()).isEqualTo(w.count()).isEqualTo(40 + 30 + 10);
                assertSameReads(later, reader.database().getCollection("later"));

                writer.database().deleteCollection("later");
                reader.refresh();
                assertThatThrownBy(() -> reader.database().getCollection("later"))
                        .isInstanceOf(dev.strata.api.NotFoundException.class);
                assertSameReads(w, r);
            } finally {
                Map<String, String> beforeClose = objects(bucket);
                reader.close();
                assertThat(objects(bucket)).as("closing the reader leaves the bucket as it was").isEqualTo(beforeClose);
            }
            assertThat(reader.store().stats().requests(RequestStats.Op.PUT)
                    + reader.store().stats().requests(RequestStats.Op.PUT_CONDITIONAL)
                    + reader.store().stats().requests(RequestStats.Op.DELETE))
                    .as("puts and deletes the reader sent to the bucket, refreshes included").isZero();
            assertThat(reader.store().stats().requests(RequestStats.Op.LIST)).as("it did read").isPositive();
            lastWritten = RestoreAndFencingTest.snapshot(w);
        }
        assertThat(Files.exists(dir.resolve("reader").resolve("wal"))).as("no log of its own").isFalse();
        assertThat(Files.exists(dir.resolve("reader").resolve("node-id"))).isFalse();
        try (ObjectStore store = ObjectStores.open(StorageOptions.s3(bucket), dir.resolve("verify"))) {
            assertThat(new Verifier(store).verify().errors()).isEmpty();
        }
        // Nothing in the reader's folder passes for a log: opened as the writer now, it recovers from the bucket.
        try (Strata promoted = Strata.open(Settings.defaults(dir.resolve("reader")).withAll(env))) {
            Collection c = promoted.database().getCollection("shared");
            assertThat(RestoreAndFencingTest.snapshot(c)).isEqualTo(lastWritten);
            c.add(CrashChild.records(5, ids(400, 3), 1));
            assertThat(c.count()).isEqualTo(lastWritten.size() + 3);
        }
    }

    @Test
    void aReadOnlyNodeOpensOnAnEmptyBucketAndSeesTheWriterOnceItWrote() {
        S3Options bucket = S3MockServer.shared().newBucket("read-only-empty");
        Map<String, String> env = CrashLoopTest.s3(bucket, "s3");
        Settings readerSettings = readOnly(env);
        try (EmbeddedStrata reader = EmbeddedStrata.open(readerSettings)) {
            assertThat(reader.database().listCollections(null, 0)).isEmpty();
            try (ObjectStore store = ObjectStores.open(StorageOptions.s3(bucket), dir.resolve("look"))) {
                assertThat(store.list("")).as("not even a catalog manifest").isEmpty();
            }
            try (Strata writer = Strata.open(Settings.defaults(dir.resolve("writer")).withAll(env))) {
                writer.database().createCollection("first", null, null).add(CrashChild.records(0, ids(0, 3), 1));
            }
            reader.refresh();
            assertThat(reader.database().getCollection("first").count()).isEqualTo(3);
        }
    }

    @Test
    void aReadWhoseVersionTheWritersGcDeletedFollowsToTheNewerVersion() {
        S3Options bucket = S3MockServer.shared().newBucket("read-only-gc");
        // GC keeps only the current version, at once: the reader's pins are not seen by the writer.
        Map<String, String> env = compactingOnlyWhenAsked(bucket);
        env.put("STRATA_GC_KEEP_VERSIONS", "1");
        env.put("STRATA_GC_TTL_MS", "0");
        env.put("STRATA_GC_GRACE_MS", "0");
        Settings readerSettings = readOnly(env);
        try (EmbeddedStrata writer = EmbeddedStrata.open(Settings.defaults(dir.resolve("writer")).withAll(env))) {
            Collection w = writer.database().createCollection("collected", null, null);
            w.add(CrashChild.records(0, ids(0, 200), 1));
            w.compact();
            try (EmbeddedStrata reader = EmbeddedStrata.open(readerSettings)) {
                Collection r = reader.database().getCollection("collected");
                assertThat(r.count()).as("opens version 1, reads no block yet").isEqualTo(200);
                // GC deletes an unreferenced file only when it is older than the current manifest, by the store's
                // clock, which S3 keeps in whole seconds: version 2 is written a second later.
                sleep(1_100);

                w.upsert(CrashChild.records(1, ids(0, 200), 2));
                w.compact();
                assertThat(writer.collectGarbage().keys(GcReason.UNREFERENCED)).as("version 1's files are gone")
                        .isNotEmpty();

                // No refresh asked: the read finds version 1's files gone, refreshes, and reads version 2.
                assertThat(RestoreAndFencingTest.snapshot(r)).isEqualTo(RestoreAndFencingTest.snapshot(w));
            }
        }
    }

    /** Storage on the bucket with durability s3 (every acknowledged write is uploaded); compaction only when asked. */
    private static Map<String, String> compactingOnlyWhenAsked(S3Options bucket) {
        Map<String, String> env = new TreeMap<>(CrashLoopTest.s3(bucket, "s3"));
        env.put("STRATA_COMPACTION_THRESHOLD_RECORDS", "1000000");
        env.put("STRATA_COMPACTION_INTERVAL_MS", "3600000");
        return env;
    }

    /** The reader's settings: the writer's storage, read-only, following only on refresh(). */
    private Settings readOnly(Map<String, String> env) {
        return Settings.defaults(dir.resolve("reader")).withAll(env)
                .with("STRATA_READ_ONLY", "true").with("STRATA_READ_ONLY_REFRESH_MS", "0");
    }

    /** Every write of the API, on a collection and around it, fails with ReadOnlyException. */
    private static void everyWriteIsRefused(EmbeddedStrata reader, Collection r) {
        Database db = reader.database();
        List<ThrowingCallable> writes = List.of(
                () -> r.add(CrashChild.records(0, ids(500, 2), 1)),
                () -> r.upsert(CrashChild.records(0, ids(0, 2), 9)),
                () -> r.update(CrashChild.records(0, ids(0, 2), 9)),
                () -> r.delete(DeleteRequest.ofIds("r0")),
                () -> r.modify("renamed", null, null),
                r::compact,
                () -> db.createCollection("new", null, null),
                () -> db.getOrCreateCollection("new", null, null),
                () -> db.deleteCollection("shared"),
                () -> reader.createTenant("acme"),
                () -> reader.createDatabase("default_tenant", "other"),
                () -> reader.deleteDatabase("default_tenant", "default_database"),
                reader::collectGarbage);
        for (ThrowingCallable write : writes) {
            assertThatThrownBy(write).isInstanceOf(ReadOnlyException.class)
                    .hasMessageContaining("read-only").hasMessageContaining("STRATA_READ_ONLY");
        }
        assertThat(db.getOrCreateCollection("shared", null, null).id()).as("get_or_create of an existing one")
                .isEqualTo(r.id());
        assertThat(new ReadOnlyException("x").kind()).isEqualTo(dev.strata.api.ErrorKind.REFUSED);
        assertThat(new ReadOnlyException("x").retryable()).as("never on this node").isFalse();
        // A refusal by design, not a failure inside Strata.
        assertThat(new ReadOnlyException("x")).isNotInstanceOf(dev.strata.api.InternalException.class);
    }

    /** The same records (everything, and a filtered get) and the same nearest neighbours, filtered or not. */
    private static void assertSameReads(Collection expected, Collection actual) {
        assertThat(RestoreAndFencingTest.snapshot(actual)).isEqualTo(RestoreAndFencingTest.snapshot(expected));
        GetRequest filtered = GetRequest.builder().where(Where.eq("v", 2L)).include(Include.DOCUMENTS).build();
        assertThat(actual.get(filtered).ids()).isEqualTo(expected.get(filtered).ids());
        for (String id : List.of("r7", "r120", "r160")) {
            for (Where where : new Where[] {null, Where.eq("w", 1)}) {
                QueryRequest q = QueryRequest.builder().queryEmbeddings(Content.embedding(id, 2)).nResults(5)
                        .where(where).build();
                QueryResult want = expected.query(q);
                QueryResult got = actual.query(q);
                assertThat(got.ids()).isEqualTo(want.ids());
                assertThat(got.distances()).isEqualTo(want.distances());
            }
        }
    }

    /** Every object of the bucket but the writer's lease (renewed in the background), key -> ETag. */
    private Map<String, String> objects(S3Options bucket) {
        try (ObjectStore store = ObjectStores.open(StorageOptions.s3(bucket), dir.resolve("look"))) {
            Map<String, String> out = new TreeMap<>();
            for (ObjectMeta m : store.list("")) {
                if (!m.key().equals("lease.json")) {
                    out.put(m.key(), m.etag());
                }
            }
            return out;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<String> ids(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> "r" + i).toList();
    }
}
