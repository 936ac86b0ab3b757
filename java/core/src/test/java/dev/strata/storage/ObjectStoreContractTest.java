package dev.strata.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link ObjectStore} must do, run against each backend by a subclass. Each test gets
 * a fresh, empty store.
 */
abstract class ObjectStoreContractTest {

    /** Multipart settings the stores of {@link #openStore(long, long, int)} get in the multipart tests. */
    static final long PART_BYTES = 5L * 1024 * 1024;

    @TempDir
    Path tempDir;

    ObjectStore store;

    /** A fresh, empty store. */
    abstract ObjectStore openStore(long multipartThresholdBytes, long multipartPartBytes, int listPageSize);

    ObjectStore openStore() {
        return openStore(16L * 1024 * 1024, 8L * 1024 * 1024, 1000);
    }

    @BeforeEach
    void open() {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void putThenGetReturnsTheBytesAndOneEtagEverywhere() {
        String etag = store.put("c/1/b/block", bytes("hello"));

        assertThat(store.get("c/1/b/block")).isEqualTo(bytes("hello"));
        VersionedBytes v = store.getVersioned("c/1/b/block");
        assertThat(v.data()).isEqualTo(bytes("hello"));
        assertThat(v.etag()).isEqualTo(etag).isNotBlank().doesNotContain("\"");
        ObjectMeta meta = store.head("c/1/b/block").orElseThrow();
        assertThat(meta.key()).isEqualTo("c/1/b/block");
        assertThat(meta.size()).isEqualTo(5);
        assertThat(meta.etag()).isEqualTo(etag);
        assertThat(meta.lastModified()).isNotNull();
    }

    @Test
    void overwriteReplacesContentAndEtag() {
        String e1 = store.put("k", bytes("one"));
        String e2 = store.put("k", bytes("two!"));

        assertThat(e2).isNotEqualTo(e1);
        assertThat(store.get("k")).isEqualTo(bytes("two!"));
        assertThat(store.head("k").orElseThrow().size()).isEqualTo(4);
    }

    @Test
    void emptyObjectRoundTrips() {
        store.put("empty", new byte[0]);

        assertThat(store.get("empty")).isEmpty();
        assertThat(store.head("empty").orElseThrow().size()).isZero();
        assertThat(store.getRange("empty", 0, 10)).isEmpty();
    }

    @Test
    void absentKeysAreReportedWithTheirKey() {
        store.put("present", bytes("x"));

        assertThatThrownBy(() -> store.get("absent/key")).isInstanceOf(ObjectNotFoundException.class)
                .satisfies(e -> assertThat(((ObjectStoreException) e).key()).isEqualTo("absent/key"));
        assertThatThrownBy(() -> store.getVersioned("absent/key")).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.getRange("absent/key", 0, 4)).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.getRange("absent/key", 0, 0)).isInstanceOf(ObjectNotFoundException.class);
        assertThat(store.head("absent/key")).isEmpty();
    }

    @Test
    void rangedGetsReturnTheRequestedSliceOrWhatIsLeft() {
        byte[] data = bytes("0123456789");
        store.put("r", data);

        assertThat(store.getRange("r", 0, 3)).isEqualTo(bytes("012"));
        assertThat(store.getRange("r", 4, 2)).isEqualTo(bytes("45"));
        assertThat(store.getRange("r", 7, 3)).isEqualTo(bytes("789"));
        assertThat(store.getRange("r", 7, 100)).as("past the end").isEqualTo(bytes("789"));
        assertThat(store.getRange("r", 10, 5)).as("at the end").isEmpty();
        assertThat(store.getRange("r", 50, 5)).as("beyond the end").isEmpty();
        assertThat(store.getRange("r", 3, 0)).isEmpty();
        assertThatThrownBy(() -> store.getRange("r", -1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.getRange("r", 0, -2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rangedGetsIntoABufferFillItFromItsPositionOrWithWhatIsLeft() {
        store.put("r", bytes("0123456789"));

        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(6);
        direct.position(1);
        assertThat(store.getRange("r", 3, direct)).isEqualTo(5);
        assertThat(direct.position()).isEqualTo(6);
        byte[] got = new byte[5];
        direct.get(1, got);
        assertThat(got).isEqualTo(bytes("34567"));

        java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(100);
        assertThat(store.getRange("r", 7, tail)).as("past the end").isEqualTo(3);
        assertThat(java.util.Arrays.copyOf(tail.array(), 3)).isEqualTo(bytes("789"));
        assertThat(store.getRange("r", 50, java.nio.ByteBuffer.allocate(4))).as("beyond the end").isZero();
        assertThat(store.getRange("r", 0, java.nio.ByteBuffer.allocate(0))).isZero();
        assertThatThrownBy(() -> store.getRange("absent/key", 0, java.nio.ByteBuffer.allocate(4)))
                .isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.getRange("r", -1, java.nio.ByteBuffer.allocate(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listReturnsKeysUnderThePrefixInOrder() {
        for (String k : List.of("c/b/2", "c/a/1", "c/b/10", "c/ab", "d/x", "c2/y", "c/a/0")) {
            store.put(k, bytes(k));
        }

        assertThat(store.list("c/")).extracting(ObjectMeta::key)
                .containsExactly("c/a/0", "c/a/1", "c/ab", "c/b/10", "c/b/2");
        assertThat(store.list("c/a")).extracting(ObjectMeta::key).containsExactly("c/a/0", "c/a/1", "c/ab");
        assertThat(store.list("c")).extracting(ObjectMeta::key)
                .containsExactly("c/a/0", "c/a/1", "c/ab", "c/b/10", "c/b/2", "c2/y");
        assertThat(store.list("")).hasSize(7);
        assertThat(store.list("zzz/")).isEmpty();
        assertThat(store.list("c/b/")).extracting(ObjectMeta::size).containsExactly(6L, 5L);
    }

    @Test
    void listFollowsEveryPage() throws Exception {
        // a small page size makes S3 paginate without thousands of slow mock PUTs
        try (ObjectStore paged = openStore(16L * 1024 * 1024, 8L * 1024 * 1024, 50)) {
            int n = 210;
            parallel(16, n, i -> paged.put("many/" + String.format("%05d", i), new byte[] {(byte) i}));
            paged.put("other/x", new byte[1]);
            long listsBefore = paged.stats().requests(RequestStats.Op.LIST);

            List<ObjectMeta> all = paged.list("many/");

            assertThat(all).hasSize(n);
            assertThat(all).extracting(ObjectMeta::key)
                    .containsExactlyElementsOf(IntStream.range(0, n).mapToObj(i -> "many/" + String.format("%05d", i)).toList());
            assertThat(paged.stats().requests(RequestStats.Op.LIST) - listsBefore)
                    .isEqualTo(expectedListRequests(n, 50));
        }
    }

    /** How many LIST requests a listing of {@code keys} keys in pages of {@code pageSize} takes. */
    abstract long expectedListRequests(int keys, int pageSize);

    @Test
    void deleteIsIdempotent() {
        store.put("gone/a", bytes("a"));
        store.put("gone/b", bytes("b"));

        store.delete("gone/a");
        store.delete("gone/a");
        store.delete("never/was");

        assertThatThrownBy(() -> store.get("gone/a")).isInstanceOf(ObjectNotFoundException.class);
        assertThat(store.head("gone/a")).isEmpty();
        assertThat(store.list("gone/")).extracting(ObjectMeta::key).containsExactly("gone/b");
    }

    @Test
    void putIfAbsentLetsExactlyOneOfManyWritersWin() throws Exception {
        int writers = 16;
        AtomicInteger wins = new AtomicInteger();
        AtomicInteger losses = new AtomicInteger();
        List<Integer> winners = java.util.Collections.synchronizedList(new ArrayList<>());

        parallel(writers, writers, i -> {
            try {
                store.putIfAbsent("lease.json", bytes("writer-" + i));
                wins.incrementAndGet();
                winners.add(i);
            } catch (PreconditionFailedException e) {
                assertThat(e.key()).isEqualTo("lease.json");
                losses.incrementAndGet();
            }
        });

        assertThat(wins.get()).isEqualTo(1);
        assertThat(losses.get()).isEqualTo(writers - 1);
        assertThat(store.get("lease.json")).isEqualTo(bytes("writer-" + winners.getFirst()));
    }

    @Test
    void putIfMatchCompareAndSwapLosesNoUpdate() throws Exception {
        store.put("counter", bytes("0"));
        int threads = 8;
        int incrementsEach = 8;
        AtomicInteger conflicts = new AtomicInteger();

        parallel(threads, threads, t -> {
            for (int done = 0; done < incrementsEach; ) {
                VersionedBytes current = store.getVersioned("counter");
                int next = Integer.parseInt(new String(current.data(), UTF_8)) + 1;
                try {
                    store.putIfMatch("counter", bytes(Integer.toString(next)), current.etag());
                    done++;
                } catch (PreconditionFailedException e) {
                    conflicts.incrementAndGet();
                }
            }
        });

        assertThat(new String(store.get("counter"), UTF_8)).isEqualTo(Integer.toString(threads * incrementsEach));
    }

    @Test
    void putIfMatchFailsOnAStaleEtagOrAnAbsentObject() {
        String e1 = store.put("m.json", bytes("v1"));
        String e2 = store.putIfMatch("m.json", bytes("v2"), e1);

        assertThatThrownBy(() -> store.putIfMatch("m.json", bytes("v3"), e1))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(store.getVersioned("m.json").etag()).isEqualTo(e2);
        assertThat(store.get("m.json")).isEqualTo(bytes("v2"));
        assertThatThrownBy(() -> store.putIfMatch("absent.json", bytes("v"), e1))
                .isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> store.putIfAbsent("m.json", bytes("again")))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(store.head("absent.json")).isEmpty();
    }

    @Test
    void putFileAboveTheThresholdUploadsInParts() throws Exception {
        byte[] data = random((int) (2 * PART_BYTES + 1234), 7);
        Path file = tempDir.resolve("upload.bin");
        Files.write(file, data);
        try (ObjectStore multipart = openStore(PART_BYTES, PART_BYTES, 1000)) {
            String etag = multipart.putFile("c/1/i/index.bin", file);

            assertThat(multipart.get("c/1/i/index.bin")).isEqualTo(data);
            ObjectMeta meta = multipart.head("c/1/i/index.bin").orElseThrow();
            assertThat(meta.size()).isEqualTo(data.length);
            assertThat(meta.etag()).isEqualTo(etag);
            long boundary = PART_BYTES - 10;
            assertThat(multipart.getRange("c/1/i/index.bin", boundary, 20))
                    .isEqualTo(java.util.Arrays.copyOfRange(data, (int) boundary, (int) boundary + 20));
            assertMultipart(multipart, etag, 3);
        }
    }

    @Test
    void largePutAboveTheThresholdUploadsInParts() {
        byte[] data = random((int) (PART_BYTES + 99), 11);
        try (ObjectStore multipart = openStore(PART_BYTES, PART_BYTES, 1000)) {
            String etag = multipart.put("big", data);

            assertThat(multipart.get("big")).isEqualTo(data);
            assertThat(multipart.getVersioned("big").etag()).isEqualTo(etag);
            assertMultipart(multipart, etag, 2);
        }
    }

    @Test
    void smallPutFileIsOneRequest() throws Exception {
        Path file = tempDir.resolve("small.bin");
        Files.write(file, bytes("small file"));

        String etag = store.putFile("f", file);

        assertThat(store.get("f")).isEqualTo(bytes("small file"));
        assertThat(store.head("f").orElseThrow().etag()).isEqualTo(etag);
        assertThat(store.stats().requests(RequestStats.Op.PUT)).isEqualTo(1);
    }

    @Test
    void anImmutableFileUploadOutlivesItsSourceBeingDeletedOrReplaced() throws Exception {
        Path file = tempDir.resolve("index.bin");
        byte[] data = new byte[300_000];
        new java.util.Random(5).nextBytes(data);
        Files.write(file, data);

        store.putImmutableFile("c/1/i/a/hnsw.bin", file);

        assertThat(store.get("c/1/i/a/hnsw.bin")).isEqualTo(data);
        String etag = store.head("c/1/i/a/hnsw.bin").orElseThrow().etag();
        assertThat(etag).isNotBlank();
        assertThat(store.stats().requests(RequestStats.Op.PUT)).isEqualTo(1);
        // The writer replaces its file by a rename, then deletes it: the object keeps the bytes it was given.
        Path next = tempDir.resolve("index.next");
        Files.write(next, bytes("another index"));
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertThat(store.get("c/1/i/a/hnsw.bin")).isEqualTo(data);
        Files.delete(file);
        assertThat(store.get("c/1/i/a/hnsw.bin")).isEqualTo(data);
        assertThat(store.getVersioned("c/1/i/a/hnsw.bin").etag()).isEqualTo(etag);
    }

    /** Backend-specific checks that an upload of {@code parts} parts really was multipart. */
    abstract void assertMultipart(ObjectStore multipartStore, String etag, int parts);

    @Test
    void everyRequestIsCounted() {
        RequestStats s = store.stats();
        store.put("s/a", bytes("12345"));
        store.get("s/a");
        store.getVersioned("s/a");
        store.getRange("s/a", 1, 2);
        store.head("s/a");
        store.list("s/");
        store.putIfAbsent("s/b", bytes("xy"));
        store.delete("s/b");
        assertThatThrownBy(() -> store.get("s/none")).isInstanceOf(ObjectNotFoundException.class);

        assertThat(s.requests(RequestStats.Op.PUT)).isEqualTo(1);
        assertThat(s.bytes(RequestStats.Op.PUT)).isEqualTo(5);
        assertThat(s.requests(RequestStats.Op.GET)).isEqualTo(3);
        assertThat(s.bytes(RequestStats.Op.GET)).isEqualTo(10);
        assertThat(s.requests(RequestStats.Op.GET_RANGE)).isEqualTo(1);
        assertThat(s.bytes(RequestStats.Op.GET_RANGE)).isEqualTo(2);
        assertThat(s.requests(RequestStats.Op.HEAD)).isEqualTo(1);
        assertThat(s.requests(RequestStats.Op.LIST)).isEqualTo(1);
        assertThat(s.requests(RequestStats.Op.PUT_CONDITIONAL)).isEqualTo(1);
        assertThat(s.bytes(RequestStats.Op.PUT_CONDITIONAL)).isEqualTo(2);
        assertThat(s.requests(RequestStats.Op.DELETE)).isEqualTo(1);
        assertThat(s.totalRequests()).isEqualTo(9);
    }

    @Test
    void returnedArraysAreTheCallersOwn() {
        store.put("own", bytes("abc"));
        byte[] first = store.get("own");
        first[0] = 'z';

        assertThat(store.get("own")).isEqualTo(bytes("abc"));
    }

    @Test
    void concurrentReadersOfOneKeyAllGetTheWholeObject() throws Exception {
        byte[] data = random(1 << 20, 3);
        store.put("hot", data);
        List<byte[]> results = java.util.Collections.synchronizedList(new ArrayList<>());

        parallel(8, 8, i -> results.add(store.get("hot")));

        assertThat(results).hasSize(8).allSatisfy(r -> assertThat(r).isEqualTo(data));
        assertThat(results.stream().map(System::identityHashCode).distinct()).hasSize(8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "a//b", "a/../b", "../up", "a/./b", "trailing/", "back\\slash", "ctl\u0001x", "."})
    void invalidKeysAreRejected(String key) {
        assertThatThrownBy(() -> store.put(key, bytes("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid object key");
        assertThatThrownBy(() -> store.get(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.head(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.putIfAbsent(key, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullKeyAndOverlongKeyAreRejected() {
        assertThatThrownBy(() -> store.get(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("k".repeat(1025), bytes("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1024");
        assertThatThrownBy(() -> store.list(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @FunctionalInterface
    interface IndexedTask {
        void run(int i) throws Exception;
    }

    /** Runs {@code tasks} tasks on {@code threads} threads released together; rethrows the first failure. */
    static void parallel(int threads, int tasks, IndexedTask task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                int index = i;
                Callable<Object> c = () -> {
                    start.await();
                    task.run(index);
                    return null;
                };
                futures.add(pool.submit(c));
            }
            start.countDown();
            for (Future<Object> f : futures) {
                f.get();
            }
        }
    }
}
