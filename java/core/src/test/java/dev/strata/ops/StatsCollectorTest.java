package dev.strata.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.storage.ObjectMeta;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsCollectorTest {

    @TempDir
    Path dir;

    @Test
    void reportsVersionsRecordsLogAndBytesPerKind() {
        try (OpsFixture f = OpsFixture.build(dir)) {
            StatsReport r = new StatsCollector(f.store).collect();

            assertThat(r.collections()).extracting(CollectionStats::name).containsExactly("docs", "empty");
            CollectionStats docs = r.collections().get(0);
            assertThat(docs.id()).isEqualTo(f.docs);
            assertThat(docs.tenant()).isEqualTo("default_tenant");
            assertThat(docs.version()).isEqualTo(2);
            assertThat(docs.keptVersions()).isEqualTo(2);
            assertThat(docs.records()).isEqualTo(OpsFixture.RECORDS_V1 + 1L);
            assertThat(docs.dimension()).isEqualTo(OpsFixture.DIMENSION);
            assertThat(docs.logLastSeq()).isEqualTo(8);
            assertThat(docs.logCursor()).isEqualTo(6);
            assertThat(docs.uncompactedRecords()).isEqualTo(2);
            String prefix = "c/" + f.docs + "/";
            assertThat(docs.bytesByKind().get("blocks")).isEqualTo(sizeUnder(f, prefix + "b/"));
            assertThat(docs.bytesByKind().get("roots")).isEqualTo(sizeUnder(f, prefix + "r/"));
            assertThat(docs.bytesByKind().get("index")).isEqualTo(sizeUnder(f, prefix + "i/"));
            assertThat(docs.bytesByKind().get("log")).isEqualTo(sizeUnder(f, prefix + "log/"));
            assertThat(docs.bytesByKind().get("manifests")).isEqualTo(sizeUnder(f, prefix + "v/"));
            assertThat(docs.objectsByKind().get("manifests")).isEqualTo(2);
            assertThat(docs.objectsByKind().get("log")).isEqualTo(3);
            assertThat(docs.objectsByKind().get("roots")).isEqualTo(3); // ids v1, ids v2, vectors

            CollectionStats empty = r.collections().get(1);
            assertThat(empty.tenant()).isEqualTo("acme");
            assertThat(empty.database()).isEqualTo("prod");
            assertThat(empty.version()).isZero();
            assertThat(empty.keptVersions()).isZero();
            assertThat(empty.records()).isZero();
            assertThat(empty.dimension()).isNull();
            assertThat(empty.totalBytes()).isZero();

            List<ObjectMeta> all = f.store.list("");
            assertThat(r.totalBytes()).isEqualTo(all.stream().mapToLong(ObjectMeta::size).sum());
            assertThat(r.objectsByKind().get("catalog")).isEqualTo(1);
            assertThat(r.droppedCollections()).isZero();
            assertThat(r.collections()).allSatisfy(c -> assertThat(c.warning()).isNull());
        }
    }

    @Test
    void anUnreadableCurrentManifestLeavesTheRecordCountUnknownWithAWarning() {
        try (OpsFixture f = OpsFixture.build(dir)) {
            f.flipByte(f.manifestV2);

            StatsReport r = new StatsCollector(f.store).collect();

            CollectionStats docs = r.collections().get(0);
            assertThat(docs.records()).isNull();
            assertThat(docs.warning()).contains(f.manifestV2).contains("checksum");
            assertThat(docs.version()).isEqualTo(2);
            assertThat(r.collections().get(1).warning()).isNull();
        }
    }

    private static long sizeUnder(OpsFixture f, String prefix) {
        return f.store.list(prefix).stream().mapToLong(ObjectMeta::size).sum();
    }
}
