package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.RecordSet;
import dev.strata.api.GetResult;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.Settings;
import dev.strata.api.Where;
import dev.strata.gc.GcReport;
import dev.strata.query.ReadExecutor;
import dev.strata.segment.Record;
import dev.strata.segment.VersionView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine over the segment layer's versions and its compactor. */
class SegmentCompactionTest {

    @TempDir
    Path dir;

    private Settings eagerGc() {
        return Settings.defaults(dir).withAll(Map.of("STRATA_GC_KEEP_VERSIONS", "1", "STRATA_GC_TTL_MS", "0",
                "STRATA_GC_GRACE_MS", "0"));
    }

    private static RecordSet records(int from, int to) {
        List<String> ids = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        List<Map<String, Object>> metadatas = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add("r" + i);
            embeddings.add(new float[] {i, 1, 0});
            metadatas.add(Map.of("i", i));
        }
        return RecordSet.builder().ids(ids).embeddings(embeddings).metadatas(metadatas).build();
    }

    @Test
    void compactionMovesTheTailIntoSegmentsAndAnswersStayTheSame() {
        try (EmbeddedStrata strata = EmbeddedStrata.open(Settings.defaults(dir))) {
            Collection c = strata.database().createCollection("compacted", null, null);
            c.add(records(0, 300));
            c.update(RecordSet.builder().ids("r7").documents("seven").build());
            GetResult before = c.get(GetRequest.builder().where(Where.gte("i", 250)).build());
            QueryResult nearBefore = c.query(QueryRequest.builder().queryEmbeddings(new float[] {10, 1, 0}).nResults(3).build());

            c.compact();
            CollectionRuntime runtime = strata.runtime(c.id());
            assertThat(runtime.tailSize()).isZero();
            assertThat(strata.catalog().getCollection(c.id()).version()).isEqualTo(1);
            assertThat(c.get(GetRequest.builder().where(Where.gte("i", 250)).build()).ids()).isEqualTo(before.ids());
            assertThat(c.query(QueryRequest.builder().queryEmbeddings(new float[] {10, 1, 0}).nResults(3).build()).ids())
                    .isEqualTo(nearBefore.ids());
            assertThat(c.get(GetRequest.builder().ids("r7").build()).documents()).containsExactly("seven");

            c.add(records(300, 310));
            c.delete(DeleteRequest.ofIds("r0"));
            assertThat(runtime.tailSize()).isEqualTo(11);
            assertThat(c.count()).isEqualTo(309);
            assertThat(c.peek(2).ids()).containsExactly("r1", "r2");
        }
        try (EmbeddedStrata strata = EmbeddedStrata.open(Settings.defaults(dir))) {
            Collection c = strata.database().getCollection("compacted");
            assertThat(c.count()).isEqualTo(309);
            assertThat(c.get(GetRequest.builder().ids("r305", "r0").build()).ids()).containsExactly("r305");
        }
    }

    @Test
    void garbageCollectionSparesAVersionAReaderHolds() {
        try (EmbeddedStrata strata = EmbeddedStrata.open(eagerGc())) {
            Collection c = strata.database().createCollection("collected", null, null);
            c.add(records(0, 50));
            c.compact();
            CollectionRuntime.Pin reader = strata.runtime(c.id()).pin();
            c.add(records(50, 60));
            c.delete(DeleteRequest.ofIds("r1"));
            c.compact();
            strata.collectGarbage();
            // The reader still reads version 1 (49 of its records) plus the tail it was built with:
            // GC kept the files of the version it pins.
            assertThat(reader.tail().base().version()).isEqualTo(1);
            List<Record> old = ReadExecutor.get(reader.tail(), null, null, null, null, 0, VersionView.Fields.ALL);
            assertThat(old).hasSize(59).allMatch(r -> r.embedding() != null && r.metadata() != null);
            reader.close();
            c.upsert(records(0, 1));
            c.compact();
            GcReport report = strata.collectGarbage();
            assertThat(report.objectsDeleted()).isPositive();
            assertThat(c.count()).isEqualTo(59);
            assertThat(c.get(GetRequest.builder().where(Where.lt("i", 3)).build()).ids()).containsExactly("r0", "r2");
        }
    }

    @Test
    void aRecordDeletedAndReAddedMovesToTheEndAcrossCompactions() {
        try (EmbeddedStrata strata = EmbeddedStrata.open(Settings.defaults(dir))) {
            Collection c = strata.database().createCollection("order", null, null);
            c.add(RecordSet.builder().ids("a", "b").embeddings(new float[] {1, 0}, new float[] {0, 1}).build());
            c.compact();
            c.delete(DeleteRequest.ofIds("a"));
            c.add(RecordSet.builder().ids("a").embeddings(new float[] {1, 1}).build());
            assertThat(c.get(GetRequest.all()).ids()).containsExactly("b", "a");
            c.compact();
            assertThat(c.get(GetRequest.all()).ids()).containsExactly("b", "a");
        }
    }
}
