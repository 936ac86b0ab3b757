package dev.strata.wal;

import static dev.strata.wal.WalFixture.payload;
import static dev.strata.wal.WalFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectLayout.LogSegment;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {

    @TempDir
    Path dir;

    private static final WalOptions SMALL_SEGMENTS = WalOptions.defaults().withSegmentBytes(200).withUploadIntervalMs(60_000);

    @Test
    void appendsGetConsecutiveSeqsPerCollectionAndReadBackInOrder() {
        try (WalFixture f = WalFixture.open(dir, WalOptions.defaults())) {
            for (int i = 1; i <= 5; i++) {
                assertThat(f.wal.append("a", payload("a" + i))).isEqualTo(i);
            }
            assertThat(f.wal.append("b", payload("b1"))).isEqualTo(1);
            assertThat(f.wal.append("a", new byte[0])).isEqualTo(6);

            assertThat(f.wal.read("a", 2, 3)).extracting(LogRecord::seq).containsExactly(2L, 3L, 4L);
            assertThat(f.wal.read("a", 1, 100)).extracting(WalFixture::text).containsExactly("a1", "a2", "a3", "a4", "a5", "");
            assertThat(f.wal.read("a", 7, 10)).isEmpty();
            assertThat(f.wal.read("none", 1, 10)).isEmpty();
            assertThat(f.wal.lastSeq("a")).isEqualTo(6);
            assertThat(f.wal.lastSeq("b")).isEqualTo(1);
            assertThat(f.wal.lastSeq("none")).isZero();
            assertThat(f.wal.collections()).containsExactly("a", "b");
        }
    }

    @Test
    void readsSpanSegmentsWhoseLocalFilesAreGoneFromTheirObjects() throws Exception {
        try (WalFixture f = WalFixture.open(dir, SMALL_SEGMENTS)) {
            for (int i = 1; i <= 40; i++) {
                f.wal.append("c", payload("record-" + i));
            }
            f.wal.uploadNow();
            assertThat(f.store.list(ObjectLayout.logFolder("c"))).hasSizeGreaterThan(3);
            try (Stream<Path> files = Files.list(f.walDir().resolve("c"))) {
                assertThat(files.count()).isGreaterThan(3);
            }
        }
        deleteRecursively(dir.resolve("wal"));
        try (WalFixture f = WalFixture.open(dir, SMALL_SEGMENTS)) {
            List<LogRecord> all = f.wal.read("c", 3, 1000);
            assertThat(all).extracting(LogRecord::seq).containsExactlyElementsOf(
                    seqs(3, 40));
            assertThat(all).extracting(WalFixture::text).endsWith("record-39", "record-40");
            assertThat(f.wal.read("c", 17, 4)).extracting(WalFixture::text)
                    .containsExactly("record-17", "record-18", "record-19", "record-20");
        }
    }

    @Test
    void segmentsAreSealedBySizeAndUploadedUnderSortableKeys() {
        try (WalFixture f = WalFixture.open(dir, SMALL_SEGMENTS)) {
            for (int i = 1; i <= 20; i++) {
                f.wal.append("c", payload("0123456789012345678901234567890123456789"));
            }
            WalStats before = f.wal.stats();
            assertThat(before.segmentsAwaitingUpload()).isGreaterThan(1);
            assertThat(before.unsyncedBytes()).isPositive();
            f.wal.uploadNow();
            List<String> keys = f.store.list(ObjectLayout.logFolder("c")).stream().map(ObjectMeta::key).toList();
            assertThat(keys).isSorted().allMatch(k -> ObjectLayout.parseLogSegment(k).isPresent());
            assertThat(keys.getFirst()).isEqualTo("c/c/log/00000000000000000001-00000000000000000004.wal");
            long next = 1;
            for (String k : keys) {
                LogSegment sk = ObjectLayout.parseLogSegment(k).orElseThrow();
                assertThat(sk.firstSeq()).isEqualTo(next);
                next = sk.lastSeq() + 1;
            }
            WalStats after = f.wal.stats();
            assertThat(after.segmentsAwaitingUpload()).isZero();
            assertThat(after.uploads()).isEqualTo(keys.size());
            assertThat(after.unsyncedBytes()).isLessThan(before.unsyncedBytes());
        }
    }

    @Test
    void segmentsAreSealedByAgeAndUploadedInTheBackground() throws Exception {
        WalOptions opts = WalOptions.defaults().withSegmentAgeMs(20).withUploadIntervalMs(10);
        try (WalFixture f = WalFixture.open(dir, opts)) {
            f.wal.append("c", payload("x"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (f.store.list(ObjectLayout.logFolder("c")).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(f.store.list(ObjectLayout.logFolder("c"))).extracting(ObjectMeta::key)
                    .containsExactly(new LogSegment("c", 1, 1).key());
            assertThat(f.wal.append("c", payload("y"))).isEqualTo(2);
        }
    }

    @Test
    void groupCommitSharesFsyncsAmongEightWriters() throws Exception {
        int threads = 8;
        int perThread = 100;
        try (WalFixture f = WalFixture.open(dir, WalOptions.defaults())) {
            List<Thread> writers = new ArrayList<>();
            List<Long> seqs = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                int id = t;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        seqs.add(f.wal.append("c", payload(id + ":" + i)));
                    }
                }));
            }
            for (Thread w : writers) {
                w.join();
            }
            WalStats s = f.wal.stats();
            assertThat(seqs).hasSize(threads * perThread).doesNotHaveDuplicates();
            assertThat(s.appends()).isEqualTo(threads * perThread);
            assertThat(s.fsyncs()).isPositive().isLessThan(s.appends() / 2);
            List<LogRecord> all = f.wal.read("c", 1, 10_000);
            assertThat(all).hasSize(threads * perThread);
            for (int t = 0; t < threads; t++) {
                String prefix = t + ":";
                assertThat(all.stream().map(WalFixture::text).filter(p -> p.startsWith(prefix)))
                        .containsExactlyElementsOf(IntStream.range(0, perThread).mapToObj(i -> prefix + i).toList());
            }
        }
    }

    @Test
    void readersSeeAConsistentPrefixWhileAWriterAppendsAcrossSegments() throws Exception {
        WalOptions opts = WalOptions.defaults().withSegmentBytes(4096).withUploadIntervalMs(5);
        try (WalFixture f = WalFixture.open(dir, opts)) {
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 1; i <= 1500; i++) {
                    f.wal.append("c", payload("value-" + i));
                }
            });
            List<String> problems = new ArrayList<>();
            while (writer.isAlive() && problems.isEmpty()) {
                long last = f.wal.lastSeq("c");
                List<LogRecord> got = f.wal.read("c", 1, Integer.MAX_VALUE);
                if (got.size() < last) {
                    problems.add("read " + got.size() + " records after lastSeq " + last);
                }
                for (int i = 0; i < got.size(); i++) {
                    if (got.get(i).seq() != i + 1 || !text(got.get(i)).equals("value-" + (i + 1))) {
                        problems.add("record " + i + " is " + got.get(i).seq() + "/" + text(got.get(i)));
                        break;
                    }
                }
            }
            writer.join();
            assertThat(problems).isEmpty();
            assertThat(f.wal.read("c", 1, Integer.MAX_VALUE)).hasSize(1500);
        }
    }

    @Test
    void appendAsyncCompletesInSeqOrder() {
        try (WalFixture f = WalFixture.open(dir, WalOptions.defaults())) {
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(f.wal.appendAsync("c", payload("p" + i)));
            }
            assertThat(futures.stream().map(CompletableFuture::join).toList()).containsExactlyElementsOf(seqs(1, 50));
            assertThat(f.wal.stats().fsyncs()).isLessThan(50);
        }
    }

    @Test
    void truncateBeforeDropsUploadedSegmentsWhollyBelowButKeepsTheNewest() throws Exception {
        try (WalFixture f = WalFixture.open(dir, SMALL_SEGMENTS)) {
            for (int i = 1; i <= 30; i++) {
                f.wal.append("c", payload("0123456789012345678901234567890123456789-" + i));
            }
            f.wal.uploadNow();
            List<String> deletable = f.wal.truncateBefore("c", 10);
            assertThat(deletable).isNotEmpty().allSatisfy(k -> assertThat(ObjectLayout.parseLogSegment(k).orElseThrow().lastSeq()).isLessThan(10));
            for (String k : deletable) {
                LogSegment sk = ObjectLayout.parseLogSegment(k).orElseThrow();
                assertThat(f.walDir().resolve("c").resolve(CollectionLog.fileName(sk.firstSeq()))).doesNotExist();
                assertThat(f.store.head(k)).isPresent();
            }
            assertThatThrownBy(() -> f.wal.read("c", 9, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("below seq 10");
            assertThat(f.wal.read("c", 10, 100)).extracting(LogRecord::seq).containsExactlyElementsOf(seqs(10, 30));
            assertThat(f.wal.truncateBefore("c", 5)).isEmpty();
            assertThatThrownBy(() -> f.wal.truncateBefore("c", 32)).isInstanceOf(IllegalArgumentException.class);

            List<String> rest = f.wal.truncateBefore("c", 31);
            assertThat(rest).isNotEmpty().noneMatch(k -> ObjectLayout.parseLogSegment(k).orElseThrow().lastSeq() == 30);
            assertThat(f.wal.append("c", payload("after"))).isEqualTo(31);
        }
        // The watermark survives a reopen.
        try (WalFixture f = WalFixture.open(dir, SMALL_SEGMENTS)) {
            assertThatThrownBy(() -> f.wal.read("c", 30, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(f.wal.read("c", 31, 10)).extracting(WalFixture::text).containsExactly("after");
            assertThat(f.wal.append("c", payload("again"))).isEqualTo(32);
        }
    }

    @Test
    void deleteCollectionRemovesFilesIndexAndObjects() {
        try (WalFixture f = WalFixture.open(dir, SMALL_SEGMENTS)) {
            for (int i = 1; i <= 20; i++) {
                f.wal.append("gone", payload("0123456789012345678901234567890123456789"));
                f.wal.append("kept", payload("k" + i));
            }
            f.wal.uploadNow();
            f.wal.deleteCollection("gone");
            assertThat(f.wal.collections()).containsExactly("kept");
            assertThat(f.walDir().resolve("gone")).doesNotExist();
            assertThat(f.store.list(ObjectLayout.logFolder("gone"))).isEmpty();
            assertThat(f.wal.lastSeq("gone")).isZero();
            assertThat(f.wal.append("gone", payload("new life"))).isEqualTo(1);
        }
        try (WalFixture f = WalFixture.open(dir, SMALL_SEGMENTS)) {
            assertThat(f.wal.read("gone", 1, 10)).extracting(WalFixture::text).containsExactly("new life");
            assertThat(f.wal.lastSeq("kept")).isEqualTo(20);
        }
    }

    @Test
    void aNewNodeRecoversTheSyncedLogFromTheObjectStore() {
        LocalObjectStore bucket = new LocalObjectStore(dir.resolve("bucket"));
        try (WalFixture f = WalFixture.open(dir.resolve("node1"), bucket, SMALL_SEGMENTS)) {
            for (int i = 1; i <= 25; i++) {
                f.wal.append("x", payload("x" + i));
            }
            f.wal.append("y", payload("y1"));
        } // close seals and uploads
        try (WalFixture f = WalFixture.open(dir.resolve("node2"), bucket, SMALL_SEGMENTS)) {
            assertThat(f.wal.collections()).containsExactly("x", "y");
            assertThat(f.wal.lastSeq("x")).isEqualTo(25);
            assertThat(f.wal.read("x", 1, 100)).extracting(WalFixture::text)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 25).mapToObj(i -> "x" + i).toList());
            assertThat(f.wal.read("y", 1, 100)).extracting(WalFixture::text).containsExactly("y1");
            assertThat(f.wal.append("x", payload("x26"))).isEqualTo(26);
        }
        // The second node's index now knows the objects: a reopen does not need the store listing.
        try (WalFixture f = WalFixture.open(dir.resolve("node2"), bucket, SMALL_SEGMENTS)) {
            assertThat(f.wal.read("x", 20, 100)).extracting(WalFixture::text).containsExactly("x20", "x21", "x22", "x23", "x24", "x25", "x26");
        }
    }

    @Test
    void aNewNodeGivenItsCollectionsListsOnlyTheirLogs() {
        LocalObjectStore bucket = new LocalObjectStore(dir.resolve("bucket"));
        try (WalFixture f = WalFixture.open(dir.resolve("node1"), bucket, SMALL_SEGMENTS)) {
            for (int i = 1; i <= 25; i++) {
                f.wal.append("x", payload("x" + i));
            }
            f.wal.append("y", payload("y1"));
        }
        bucket.put("c/x/b/some-block", payload("not a log segment"));
        List<String> listed = new java.util.concurrent.CopyOnWriteArrayList<>();
        ObjectStore listing = new dev.strata.storage.ForwardingObjectStore(bucket) {
            @Override
            protected <T> T request(dev.strata.storage.RequestStats.Op op, String key, java.util.function.Supplier<T> call) {
                if (op == dev.strata.storage.RequestStats.Op.LIST) {
                    listed.add(key);
                }
                return call.get();
            }

            @Override
            public String describe() {
                return "listing-recorder";
            }
        };
        try (WalFixture f = WalFixture.open(dir.resolve("node2"), listing, SMALL_SEGMENTS, List.of("x", "gone"))) {
            assertThat(listed).containsExactlyInAnyOrder("c/x/log/", "c/gone/log/");
            assertThat(f.wal.collections()).containsExactly("x");
            assertThat(f.wal.read("x", 1, 100)).extracting(WalFixture::text)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 25).mapToObj(i -> "x" + i).toList());
            assertThat(f.wal.append("x", payload("x26"))).isEqualTo(26);
        }
    }

    @Test
    void rejectsBadInputWithClearErrors() {
        try (WalFixture f = WalFixture.open(dir, WalOptions.defaults())) {
            assertThatThrownBy(() -> f.wal.append("../etc", payload("x"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid collection id");
            assertThatThrownBy(() -> f.wal.append("c", null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> f.wal.read("c", 0, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> f.wal.read("c", 1, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> f.wal.truncateBefore("nothing", 1)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> WalOptions.defaults().withSegmentBytes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segmentBytes");
    }

    @Test
    void appendsAfterCloseFail() {
        WalFixture f = WalFixture.open(dir, WalOptions.defaults());
        f.close();
        assertThatThrownBy(() -> f.wal.append("c", payload("late"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    static List<Long> seqs(long from, long to) {
        return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }

    static void deleteRecursively(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
