package dev.strata.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Collection;
import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.InternalException;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.engine.CollectionRuntime;
import dev.strata.engine.EmbeddedStrata;
import dev.strata.storage.FaultInjectingObjectStore;
import dev.strata.storage.FaultInjectingObjectStore.Fault;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectLayout.LogSegment;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.RequestStats;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability s3 when the log upload fails: the write is not acknowledged but kept (it is in the local
 * log, and the tail shows it, as a reopen would); once the store is back the next write is acknowledged
 * on the same node, after the older waiting segments were put, so the bucket's log has no hole.
 */
class S3DurabilityUploadFaultsTest {

    @TempDir
    Path dir;

    @Test
    void aFailedUploadIsNotAcknowledgedButKeptAndWritesResumeWithoutAReopen() {
        Settings settings = Settings.defaults(dir).with("STRATA_DURABILITY", "s3")
                .with("STRATA_WAL_UPLOAD_INTERVAL_MS", "3600000"); // only the writes themselves upload
        AtomicReference<FaultInjectingObjectStore> faults = new AtomicReference<>();
        try (EmbeddedStrata strata = EmbeddedStrata.openDecorated(settings, store -> {
            faults.set(new FaultInjectingObjectStore(store, 11));
            return faults.get();
        })) {
            Collection c = strata.database().createCollection("docs", null, null);
            c.add(one("r0"));

            faults.get().failing(RequestStats.Op.PUT, 1.0, Fault.SERVICE_UNAVAILABLE, Fault.TIMEOUT);
            assertThatThrownBy(() -> c.add(one("r1")))
                    .isInstanceOf(InternalException.class)
                    .hasMessageContaining("not acknowledged")
                    .hasMessageContaining("injected fault");
            assertThatThrownBy(() -> c.delete(DeleteRequest.ofIds("r0")))
                    .isInstanceOf(InternalException.class).hasMessageContaining("not acknowledged");
            assertThat(ids(c)).as("failed writes are kept, in order").containsExactly("r1");
            assertThat(strata.wal().stats().segmentsAwaitingUpload()).isPositive();

            faults.get().heal();
            c.add(one("r2"));
            assertThat(ids(c)).containsExactly("r1", "r2");
            assertThat(strata.wal().stats().segmentsAwaitingUpload()).as("older segments went first").isZero();

            String log = CollectionRuntime.logName(c.id());
            List<LogSegment> segments = strata.store().list(ObjectLayout.logFolder(log)).stream()
                    .map(ObjectMeta::key).map(k -> ObjectLayout.parseLogSegment(k).orElseThrow()).toList();
            long next = 1;
            for (LogSegment s : segments) {
                assertThat(s.firstSeq()).as("segments in the bucket: %s", segments).isEqualTo(next);
                next = s.lastSeq() + 1;
            }
            assertThat(next - 1).isEqualTo(strata.wal().lastSeq(log));
        }
        try (EmbeddedStrata strata = EmbeddedStrata.open(settings)) {
            assertThat(ids(strata.database().getCollection("docs"))).containsExactly("r1", "r2");
        }
    }

    private static List<String> ids(Collection c) {
        return c.get(GetRequest.all()).ids();
    }

    private static RecordSet one(String id) {
        return RecordSet.builder().ids(id).embeddings(new float[] {1, id.length()}).documents(id + " text").build();
    }
}
