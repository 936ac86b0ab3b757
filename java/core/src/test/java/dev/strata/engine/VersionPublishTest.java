package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.GetRequest;
import dev.strata.api.GetResult;
import dev.strata.api.Include;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.catalog.CollectionRecord;
import dev.strata.query.EmptyVersion;
import dev.strata.query.InMemoryVersion;
import dev.strata.segment.Record;
import dev.strata.segment.VersionView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing a compacted version swaps version and tail atomically for readers and unpins the old one. */
class VersionPublishTest {

    @TempDir
    Path dir;

    private final Map<Long, List<Record>> contents = new ConcurrentHashMap<>();
    private final List<InMemoryVersion> opened = new ArrayList<>();
    private EmbeddedStrata strata;
    private Collection collection;

    @BeforeEach
    void open() {
        VersionOpener opener = record -> {
            if (record.version() == 0) {
                return EmptyVersion.INSTANCE;
            }
            InMemoryVersion v = new InMemoryVersion(record.version(), record.logCursor(),
                    dev.strata.api.Space.L2, contents.get(record.version()));
            synchronized (opened) {
                opened.add(v);
            }
            return v;
        };
        strata = EmbeddedStrata.open(Settings.defaults(dir), opener);
        collection = strata.database().createCollection("swapped", null, null);
        for (int i = 0; i < 50; i++) {
            collection.add(RecordSet.builder().ids("r" + i).embeddings(new float[] {i, 1}).documents("doc " + i).build());
        }
    }

    @AfterEach
    void close() {
        strata.close();
    }

    /** What a compactor does: write the current records as the next version at the applied seq, commit, publish. */
    private void compact() {
        CollectionRuntime runtime = strata.runtime(collection.id());
        long cursor = runtime.appliedSeq();
        GetResult all = collection.get(GetRequest.builder().include(Include.EMBEDDINGS, Include.DOCUMENTS).build());
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            records.add(new Record(all.ids().get(i), all.embeddings().get(i), all.documents().get(i), null, null));
        }
        CollectionRecord before = strata.catalog().getCollection(collection.id());
        long version = before.version() + 1;
        contents.put(version, records);
        strata.publish(strata.catalog().commitVersion(collection.id(), before.version(), version,
                "c/" + collection.id() + "/v/" + version + ".json", cursor));
    }

    @Test
    void publishingMovesTheTailIntoTheVersionAndKeepsAnswers() {
        List<String> before = collection.get(GetRequest.all()).ids();
        compact();
        CollectionRuntime runtime = strata.runtime(collection.id());
        assertThat(runtime.tailSize()).isZero();
        try (CollectionRuntime.Pin pin = runtime.pin()) {
            assertThat(pin.tail().base().version()).isEqualTo(1);
            assertThat(pin.tail().base().count()).isEqualTo(50);
        }
        collection.upsert(RecordSet.builder().ids("r3", "new").embeddings(new float[] {0, 0}, new float[] {1, 1}).build());
        assertThat(runtime.tailSize()).isEqualTo(2);
        assertThat(collection.get(GetRequest.all()).ids()).hasSize(51).startsWith(before.toArray(String[]::new)).endsWith("new");
        assertThat(collection.count()).isEqualTo(51);

        compact();
        assertThat(runtime.tailSize()).isZero();
        assertThat(collection.get(GetRequest.builder().ids("r3").include(Include.EMBEDDINGS).build()).embeddings().getFirst())
                .containsExactly(0, 0);
    }

    @Test
    void aVersionAheadOfTheTailIsPublishedAndWritesGoOn() {
        CollectionRuntime runtime = strata.runtime(collection.id());
        // A durable write no writer has applied yet (its writer is, say, still on its way to the sequencer).
        long seq = strata.wal().append(CollectionRuntime.logName(collection.id()), dev.strata.segment.LogBatchCodec.encode(
                new dev.strata.segment.LogBatch(dev.strata.segment.LogOperation.ADD, List.of("early"),
                        new float[][] {{7, 7}}, null, null, null)));
        assertThat(runtime.appliedSeq()).isEqualTo(seq - 1);
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            records.add(new Record("r" + i, new float[] {i, 1}, "doc " + i, null, null));
        }
        records.add(new Record("early", new float[] {7, 7}, null, null, null));
        contents.put(1L, records);
        CollectionRecord before = strata.catalog().getCollection(collection.id());
        strata.publish(strata.catalog().commitVersion(collection.id(), before.version(), 1,
                "c/" + collection.id() + "/v/1.json", seq));

        assertThat(runtime.appliedSeq()).isEqualTo(seq);
        assertThat(collection.count()).isEqualTo(51);
        collection.add(RecordSet.builder().ids("late").embeddings(new float[] {8, 8}).build());
        assertThat(collection.get(GetRequest.all()).ids()).endsWith("early", "late");
    }

    @Test
    void aReaderKeepsItsVersionPinnedAcrossAPublish() {
        compact();
        CollectionRuntime runtime = strata.runtime(collection.id());
        InMemoryVersion first = opened.getFirst();
        CollectionRuntime.Pin reader = runtime.pin();
        compact();
        assertThat(first.released()).as("pinned by a reader").isFalse();
        assertThat(reader.tail().base()).isSameAs(first);
        reader.close();
        assertThat(first.released()).isTrue();
        assertThat(opened.getLast().released()).isFalse();
    }

    @Test
    void readersNeverSeeAHalfSwappedSnapshot() throws Exception {
        List<String> expected = collection.get(GetRequest.all()).ids();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        List<Throwable> failures = new ArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) {
                    assertThat(collection.get(GetRequest.all()).ids()).isEqualTo(expected);
                    assertThat(collection.count()).isEqualTo(expected.size());
                    reads.incrementAndGet();
                }
            } catch (Throwable t) {
                synchronized (failures) {
                    failures.add(t);
                }
            }
        });
        for (int i = 0; i < 20; i++) {
            compact();
        }
        // Let the reader overlap with the last publish at least once before stopping it.
        while (reads.get() < 5 && failures.isEmpty()) {
            Thread.onSpinWait();
        }
        stop.set(true);
        reader.join();
        assertThat(failures).isEmpty();
        try (CollectionRuntime.Pin pin = strata.runtime(collection.id()).pin()) {
            VersionView current = pin.tail().base();
            assertThat(current.version()).isEqualTo(20);
        }
        assertThat(opened.subList(0, opened.size() - 1)).allMatch(InMemoryVersion::released);
    }
}
