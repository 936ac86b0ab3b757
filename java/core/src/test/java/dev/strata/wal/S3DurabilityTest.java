package dev.strata.wal;

import static dev.strata.wal.WalFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectLayout.LogSegment;
import dev.strata.storage.ObjectStoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3DurabilityTest {

    @TempDir
    Path dir;

    private static final WalOptions S3 = WalOptions.defaults()
            .withDurability(WalOptions.Durability.S3).withS3BatchWindowMs(10).withUploadIntervalMs(60_000);

    /** True when some PUT so far covered {@code seq}. */
    private static boolean putCovers(RecordingStore store, String collection, long seq) {
        return store.putKeys.stream().map(k -> ObjectLayout.parseLogSegment(k).orElseThrow())
                .anyMatch(k -> k.collection().equals(collection) && k.firstSeq() <= seq && seq <= k.lastSeq());
    }

    @Test
    void anAppendIsAcknowledgedOnlyAfterThePutOfItsSegment() throws Exception {
        RecordingStore store = new RecordingStore(new LocalObjectStore(dir.resolve("bucket")), 15);
        int threads = 8;
        int perThread = 10;
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        try (WalFixture f = WalFixture.open(dir.resolve("node"), store, S3)) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String coll = id % 2 == 0 ? "even" : "odd";
                        long seq = f.wal.append(coll, payload(id + ":" + i));
                        if (!putCovers(store, coll, seq)) {
                            violations.add(coll + "#" + seq);
                        }
                    }
                }));
            }
            for (Thread w : writers) {
                w.join();
            }
            assertThat(violations).isEmpty();
            int appends = threads * perThread;
            assertThat(f.wal.stats().appends()).isEqualTo(appends);
            // Writers within one window share a PUT: far fewer PUTs than appends.
            assertThat(store.putKeys.size()).isLessThan(appends / 2);
            assertThat(f.wal.stats().unsyncedBytes()).isZero();
        }
        // Every acknowledged record is readable from the bucket alone.
        try (WalFixture f = WalFixture.open(dir.resolve("node2"), new LocalObjectStore(dir.resolve("bucket")), S3)) {
            assertThat(f.wal.lastSeq("even") + f.wal.lastSeq("odd")).isEqualTo(threads * perThread);
            assertThat(f.wal.read("even", 1, 1000)).hasSize(threads / 2 * perThread);
        }
    }

    @Test
    void aFailedPutFailsTheAppendAndTheSegmentIsRetriedLater() {
        RecordingStore store = new RecordingStore(new LocalObjectStore(dir.resolve("bucket")), 0);
        try (WalFixture f = WalFixture.open(dir.resolve("node"), store, S3)) {
            store.failPuts = true;
            assertThatThrownBy(() -> f.wal.append("c", payload("x"))).isInstanceOf(ObjectStoreException.class)
                    .hasMessageContaining("injected");
            assertThat(store.putKeys).isEmpty();
            assertThat(f.wal.stats().segmentsAwaitingUpload()).isEqualTo(1);
            store.failPuts = false;
            f.wal.uploadNow();
            assertThat(store.putKeys).containsExactly(new LogSegment("c", 1, 1).key());
            assertThat(f.wal.append("c", payload("y"))).isEqualTo(2);
            assertThat(putCovers(store, "c", 2)).isTrue();
        }
    }
}
