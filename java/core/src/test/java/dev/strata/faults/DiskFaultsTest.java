package dev.strata.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Collection;
import dev.strata.api.GetRequest;
import dev.strata.api.GetResult;
import dev.strata.api.InternalException;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.engine.EmbeddedStrata;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log's disk fills up or turns read-only. The log folder ({path}/wal) is a link to a small tmpfs
 * (see {@link TmpfsMount}); the rest of the node stays on the normal disk. A write fails with an
 * InternalException that says what is wrong, acknowledged records stay readable and intact, and
 * writes work again once the disk does (after a reopen: a failed append fences the collection's log).
 */
class DiskFaultsTest {

    private static final long DISK_BYTES = 1 << 20;

    @TempDir
    Path dir;

    private Settings nodeOnDisk(TmpfsMount disk) throws IOException {
        Path node = dir.resolve("node");
        Files.createDirectories(node);
        Path wal = Files.createDirectories(disk.path().resolve("wal"));
        Files.createSymbolicLink(node.resolve("wal"), wal);
        return Settings.defaults(node);
    }

    @Test
    void aFullDiskFailsTheWriteClearlyKeepsWhatWasAcknowledgedAndWritesResumeAfterAReopen() throws IOException {
        try (TmpfsMount disk = TmpfsMount.mountOrSkip(dir.resolve("disk"), DISK_BYTES)) {
            Settings settings = nodeOnDisk(disk);
            Map<String, String> acked = new LinkedHashMap<>();
            Path filler = disk.path().resolve("filler");
            try (EmbeddedStrata strata = EmbeddedStrata.open(settings)) {
                Collection c = strata.database().createCollection("docs", null, null);
                writeAcked(c, acked, "before", 20);
                fill(filler);

                // Bigger than what is left of a page, so the append needs space the disk no longer has.
                assertThatThrownBy(() -> c.upsert(records(Map.of("full", "x".repeat(16_384)))))
                        .isInstanceOf(InternalException.class)
                        .hasMessageContaining("disk is full");
                assertThat(documents(c, acked.keySet())).isEqualTo(acked);

                Files.delete(filler); // space returns
                // The collection's log stays fenced on this node: the failed append may have left a partial record.
                assertThatThrownBy(() -> c.upsert(records(Map.of("again", "a"))))
                        .isInstanceOf(InternalException.class)
                        .hasMessageContaining("reopened")
                        .hasMessageContaining("disk is full");
                // Other collections write again at once: their logs never failed.
                Collection other = strata.database().createCollection("other", null, null);
                writeAcked(other, new LinkedHashMap<>(), "other", 3);
                assertThat(other.count()).isEqualTo(3);
            }

            try (EmbeddedStrata strata = EmbeddedStrata.open(settings)) {
                Collection c = strata.database().getCollection("docs");
                assertThat(documents(c, acked.keySet())).isEqualTo(acked);
                writeAcked(c, acked, "after", 5);
                assertThat(documents(c, acked.keySet())).isEqualTo(acked);
                assertThat(c.get(GetRequest.builder().ids("again").build()).ids()).isEmpty();
            }
        }
    }

    @Test
    void aReadOnlyLogFolderRefusesToOpenClearlyAndOpensIntactOnceWritable() throws IOException {
        try (TmpfsMount disk = TmpfsMount.mountOrSkip(dir.resolve("disk"), DISK_BYTES)) {
            Settings settings = nodeOnDisk(disk);
            Map<String, String> acked = new LinkedHashMap<>();
            try (EmbeddedStrata strata = EmbeddedStrata.open(settings)) {
                writeAcked(strata.database().createCollection("docs", null, null), acked, "before", 20);
            }

            // A running node keeps its segment open for writing, so the kernel refuses to remount under
            // it ("busy"); a disk that turns read-only under a running node fails its next append the way
            // a full one does. What can happen is a node started on a read-only disk:
            disk.remountReadOnly();
            assertThatThrownBy(() -> EmbeddedStrata.open(settings).close())
                    .isInstanceOf(InternalException.class)
                    .hasMessageContaining("read-only");

            disk.remountReadWrite();
            try (EmbeddedStrata strata = EmbeddedStrata.open(settings)) {
                Collection c = strata.database().getCollection("docs");
                assertThat(documents(c, acked.keySet())).isEqualTo(acked);
                writeAcked(c, acked, "after", 5);
                assertThat(documents(c, acked.keySet())).isEqualTo(acked);
            }
        }
    }

    private static void writeAcked(Collection c, Map<String, String> acked, String tag, int count) {
        for (int i = 0; i < count; i++) {
            Map<String, String> one = Map.of(tag + "-" + i, tag + " document " + i);
            c.upsert(records(one));
            acked.putAll(one);
        }
    }

    /** Writes to a file until the file system says it is full. */
    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException e) {
            assertThat(e).hasMessageContaining("No space left on device");
        }
    }

    private static Map<String, String> documents(Collection c, java.util.Collection<String> ids) {
        GetResult got = c.get(GetRequest.builder().ids(new ArrayList<>(ids)).build());
        Map<String, String> docs = new LinkedHashMap<>();
        for (String id : ids) {
            int at = got.ids().indexOf(id);
            if (at >= 0) {
                docs.put(id, got.documents().get(at));
            }
        }
        return docs;
    }

    private static RecordSet records(Map<String, String> documents) {
        List<String> ids = new ArrayList<>(documents.keySet());
        return RecordSet.builder().ids(ids)
                .embeddings(ids.stream().map(id -> new float[] {id.length(), id.hashCode() % 13}).toList())
                .documents(ids.stream().map(documents::get).toList())
                .build();
    }
}
