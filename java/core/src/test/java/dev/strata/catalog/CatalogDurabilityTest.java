package dev.strata.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.RequestStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogDurabilityTest {
    private static final String T = "default_tenant";
    private static final String DB = "default_database";

    @TempDir
    Path dir;

    /** Fills a catalog with one of everything it stores. */
    private static void populate(Catalog c) {
        c.createTenant("acme");
        c.createDatabase("acme", "prod");
        CollectionRecord docs = c.createCollection("acme", "prod", "docs",
                Map.of("owner", "ops", "n", 7, "f", 1.5, "flag", false, "tags", List.of(1, 2)),
                Map.of("hnsw", Map.of("space", "cosine")), 384);
        c.commitVersion(docs.id(), 0, 1, "c/" + docs.id() + "/v/1.json", 41);
        c.commitVersion(docs.id(), 1, 2, "c/" + docs.id() + "/v/2.json", 99);
        c.forgetVersions(docs.id(), Set.of(1L));
        c.createCollection(T, DB, "zeta", null, null, null);
        c.createCollection(T, DB, "alpha", null, null, null);
        CollectionRecord gone = c.createCollection(T, DB, "gone", null, null, null);
        c.deleteCollection(gone.id());
    }

    private record Snapshot(List<Tenant> tenants, List<Database> databases, List<CollectionRecord> collections,
                            List<List<VersionInfo>> versions, List<DroppedCollection> dropped, long generation) {
        static Snapshot of(Catalog c) {
            List<CollectionRecord> all = c.allCollections();
            return new Snapshot(List.of(c.getTenant(T), c.getTenant("acme")),
                    List.of(c.getDatabase(T, DB), c.getDatabase("acme", "prod")), all,
                    all.stream().map(r -> c.versions(r.id())).toList(), c.droppedCollections(), c.generation());
        }
    }

    @Test
    void deletingTheLocalFolderLosesNothing() {
        Snapshot before;
        try (CatalogFixture node = new CatalogFixture(dir, "node1")) {
            Catalog c = node.open();
            populate(c);
            before = Snapshot.of(c);
            node.wipeLocal();
            assertThat(node.kvDir()).doesNotExist();

            Catalog rebuilt = node.open();

            assertThat(Snapshot.of(rebuilt)).isEqualTo(before);
            assertThat(rebuilt.listCollections(T, DB, 10, 0)).extracting(CollectionRecord::name)
                    .containsExactly("zeta", "alpha");
            CollectionRecord docs = rebuilt.getCollection("acme", "prod", "docs");
            assertThat(docs.version()).isEqualTo(2);
            assertThat(docs.logCursor()).isEqualTo(99);
            assertThat(docs.dimension()).isEqualTo(384);
            assertThat(docs.metadata()).containsEntry("n", 7L).containsEntry("tags", List.of(1L, 2L));
            // and the rebuilt node keeps writing from where the bucket is
            rebuilt.commitVersion(docs.id(), 2, 3, "c/" + docs.id() + "/v/3.json", 120);
            assertThat(rebuilt.generation()).isEqualTo(before.generation() + 1);
        }
    }

    @Test
    void aCurrentLocalCopyIsUsedWithoutDownloadingTheManifest() {
        try (CatalogFixture node = new CatalogFixture(dir, "node1")) {
            Catalog c = node.open();
            populate(c);
            Snapshot before = Snapshot.of(c);
            node.closeKv();
            long gets = node.store.stats().requests(RequestStats.Op.GET);

            Catalog reopened = node.open();

            assertThat(node.store.stats().requests(RequestStats.Op.GET)).isEqualTo(gets);
            assertThat(Snapshot.of(reopened)).isEqualTo(before);
        }
    }

    @Test
    void aLocalCopyOlderThanTheManifestIsRebuilt() {
        try (CatalogFixture writer = new CatalogFixture(dir, "writer");
             CatalogFixture reader = writer.peer("reader")) {
            Catalog w = writer.open();
            Catalog r = reader.open();
            populate(w);
            assertThatThrownBy(() -> r.getTenant("acme")).isInstanceOf(NotFoundException.class);
            reader.closeKv();

            Catalog reopened = reader.open();

            assertThat(Snapshot.of(reopened)).isEqualTo(Snapshot.of(w));
        }
    }

    @Test
    void aSecondWriterIsFencedAndNothingIsLost() {
        try (CatalogFixture one = new CatalogFixture(dir, "one");
             CatalogFixture two = one.peer("two")) {
            Catalog a = one.open();
            Catalog b = two.open();
            CollectionRecord x = a.createCollection(T, DB, "x", null, null, null);

            assertThatThrownBy(() -> b.createCollection(T, DB, "y", null, null, null))
                    .isInstanceOf(FencedException.class).hasMessageContaining("catalog/manifest.json");

            // b adopted the manifest it lost to: it sees a's write and did not apply its own
            assertThat(b.getCollection(x.id())).isEqualTo(x);
            assertThatThrownBy(() -> b.getCollection(T, DB, "y")).isInstanceOf(NotFoundException.class);
            // a retry on the fresh state succeeds, and now a is the stale one
            CollectionRecord y = b.createCollection(T, DB, "y", null, null, null);
            assertThatThrownBy(() -> a.deleteCollection(x.id())).isInstanceOf(FencedException.class);
            assertThat(a.refresh()).isFalse(); // the fenced write already adopted the manifest
            assertThat(a.getCollection(y.id())).isEqualTo(y);

            try (CatalogFixture fresh = one.peer("fresh")) {
                assertThat(fresh.open().allCollections()).containsExactly(x, y);
            }
        }
    }

    @Test
    void refreshPicksUpAnotherWritersChanges() {
        try (CatalogFixture one = new CatalogFixture(dir, "one");
             CatalogFixture two = one.peer("two")) {
            Catalog writer = one.open();
            Catalog follower = two.open();
            assertThat(follower.refresh()).isFalse();
            CollectionRecord x = writer.createCollection(T, DB, "x", null, null, null);

            assertThat(follower.refresh()).isTrue();

            assertThat(follower.getCollection(T, DB, "x")).isEqualTo(x);
        }
    }

    @Test
    void aReadOnlyNodeFollowsTheWriterAndCannotWrite() {
        try (CatalogFixture one = new CatalogFixture(dir, "writer");
             CatalogFixture two = one.peer("reader")) {
            Catalog follower = two.openReadOnly(); // before the bucket has a manifest
            assertThat(follower.getDatabase(T, DB).name()).isEqualTo(DB);
            assertThat(follower.refresh()).isFalse();
            assertThat(one.store.head("catalog/manifest.json")).isEmpty();

            Catalog writer = one.open();
            CollectionRecord x = writer.createCollection(T, DB, "x", null, null, null);

            assertThat(follower.refresh()).isTrue();
            assertThat(follower.getCollection(T, DB, "x")).isEqualTo(x);
            assertThatThrownBy(() -> follower.deleteCollection(x.id())).isInstanceOf(FencedException.class)
                    .hasMessageContaining("read-only");
            assertThat(writer.refresh()).isFalse();
        }
    }

    @Test
    void aCorruptManifestIsReportedWithItsKey() throws Exception {
        try (CatalogFixture node = new CatalogFixture(dir, "node1")) {
            populate(node.open());
            node.wipeLocal();
            Path manifest = node.store.root().resolve("catalog/manifest.json");
            byte[] bytes = Files.readAllBytes(manifest);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int at = text.indexOf("\"docs\"") + 1;
            bytes[at] = 'D'; // still valid JSON, different content
            Files.write(manifest, bytes);

            assertThatThrownBy(node::open).isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining("checksum")
                    .satisfies(e -> assertThat(((CorruptObjectException) e).key()).isEqualTo("catalog/manifest.json"));

            Files.writeString(manifest, text.substring(0, text.length() / 2));
            assertThatThrownBy(node::open).isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining("catalog/manifest.json");
        }
    }

    @Test
    void aCorruptLocalCopyIsRebuiltFromTheManifest() throws Exception {
        try (CatalogFixture node = new CatalogFixture(dir, "node1")) {
            Catalog c = node.open();
            populate(c);
            Snapshot before = Snapshot.of(c);
            node.closeKv();
            try (var kv = dev.strata.storage.LocalKv.open(node.kvDir(), List.of(Catalog.KV_FAMILY))) {
                kv.db().put(kv.family(Catalog.KV_FAMILY), "t/acme".getBytes(StandardCharsets.UTF_8),
                        "{not json".getBytes(StandardCharsets.UTF_8));
            }

            assertThat(Snapshot.of(node.open())).isEqualTo(before);
        }
    }
}
