package dev.strata.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogCrudTest {
    private static final String T = "default_tenant";
    private static final String DB = "default_database";

    @TempDir
    Path dir;
    CatalogFixture node;
    Catalog catalog;

    @BeforeEach
    void open() {
        node = new CatalogFixture(dir, "node1");
        catalog = node.open();
    }

    @AfterEach
    void close() {
        catalog.close();
        node.close();
    }

    @Test
    void defaultTenantAndDatabaseAlwaysExist() {
        assertThat(catalog.getTenant(T)).isEqualTo(new Tenant(T));
        assertThat(catalog.getDatabase(T, DB).name()).isEqualTo(DB);
        assertThat(catalog.listDatabases(T, 100, 0)).extracting(Database::name).containsExactly(DB);
        assertThatThrownBy(() -> catalog.deleteDatabase(T, DB)).isInstanceOf(ConflictException.class);
    }

    @Test
    void tenantsAreUniqueAndMissingOnesAreNotFound() {
        catalog.createTenant("acme");
        assertThat(catalog.getTenant("acme").name()).isEqualTo("acme");
        assertThatThrownBy(() -> catalog.createTenant("acme")).isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("acme");
        assertThatThrownBy(() -> catalog.getTenant("nobody")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("nobody");
    }

    @Test
    void databasesArePerTenantAndPaginate() {
        catalog.createTenant("acme");
        for (int i = 0; i < 5; i++) {
            catalog.createDatabase("acme", "db" + i);
        }
        catalog.createDatabase(T, "db0"); // same name in another tenant is fine
        assertThatThrownBy(() -> catalog.createDatabase("acme", "db3")).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> catalog.createDatabase("nobody", "x")).isInstanceOf(NotFoundException.class);
        assertThat(catalog.listDatabases("acme", 2, 1)).extracting(Database::name).containsExactly("db1", "db2");
        assertThat(catalog.listDatabases("acme", 10, 4)).extracting(Database::name).containsExactly("db4");
        assertThat(catalog.listDatabases("acme", 10, 9)).isEmpty();
        assertThatThrownBy(() -> catalog.listDatabases("acme", -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> catalog.getDatabase("acme", "zzz")).isInstanceOf(NotFoundException.class);
        assertThat(catalog.getDatabase("acme", "db0").id()).isNotEqualTo(catalog.getDatabase(T, "db0").id());
    }

    @Test
    void deletingADatabaseDropsItsCollections() {
        catalog.createDatabase(T, "tmp");
        CollectionRecord a = catalog.createCollection(T, "tmp", "a", null, null, null);
        CollectionRecord b = catalog.createCollection(T, "tmp", "b", null, null, null);
        CollectionRecord kept = catalog.createCollection(T, DB, "a", null, null, null);

        assertThat(catalog.deleteDatabase(T, "tmp")).extracting(CollectionRecord::id).containsExactly(a.id(), b.id());

        assertThatThrownBy(() -> catalog.getDatabase(T, "tmp")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> catalog.getCollection(a.id())).isInstanceOf(NotFoundException.class);
        assertThat(catalog.getCollection(kept.id())).isEqualTo(kept);
        assertThat(catalog.droppedCollections()).extracting(d -> d.collection().id())
                .containsExactlyInAnyOrder(a.id(), b.id());
        // the name is free again once the database is recreated
        catalog.createDatabase(T, "tmp");
        assertThat(catalog.createCollection(T, "tmp", "a", null, null, null).id()).isNotEqualTo(a.id());
    }

    @Test
    void collectionsRoundTripMetadataAndConfiguration() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("z", "last-but-first");
        metadata.put("count", 3);
        metadata.put("ratio", 0.25);
        metadata.put("on", true);
        metadata.put("tags", List.of("a", "b"));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("hnsw", Map.of("space", "cosine", "ef_search", 100));
        config.put("embedding_function", null);

        CollectionRecord c = catalog.createCollection(T, DB, "docs", metadata, config, null);

        assertThat(c.metadata()).containsExactly(Map.entry("z", "last-but-first"), Map.entry("count", 3L),
                Map.entry("ratio", 0.25), Map.entry("on", true), Map.entry("tags", List.of("a", "b")));
        assertThat(c.configuration()).containsEntry("embedding_function", null);
        assertThat(c.dimension()).isNull();
        assertThat(c.version()).isZero();
        assertThat(c.versionKey()).isNull();
        assertThat(catalog.getCollection(T, DB, "docs")).isEqualTo(c);
        assertThat(catalog.getCollection(c.id())).isEqualTo(c);
        assertThatThrownBy(() -> catalog.createCollection(T, DB, "bad", Map.of("k", new Object()), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'k'");
    }

    @Test
    void collectionNamesAreUniquePerDatabase() {
        catalog.createDatabase(T, "other");
        CollectionRecord first = catalog.createCollection(T, DB, "docs", null, null, null);
        assertThatThrownBy(() -> catalog.createCollection(T, DB, "docs", null, null, null))
                .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("docs");
        CollectionRecord elsewhere = catalog.createCollection(T, "other", "docs", null, null, null);
        assertThat(elsewhere.id()).isNotEqualTo(first.id());
        assertThat(catalog.getOrCreateCollection(T, DB, "docs", Map.of("x", 1), null, null)).isEqualTo(first);
        assertThatThrownBy(() -> catalog.createCollection(T, "missing", "docs", null, null, null))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> catalog.getCollection(T, DB, "nope")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> catalog.getCollection(UUID.randomUUID())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void collectionsListInCreationOrderWithPagination() {
        for (int i = 0; i < 7; i++) {
            catalog.createCollection(T, DB, "c" + (6 - i), null, null, null);
        }
        assertThat(catalog.countCollections(T, DB)).isEqualTo(7);
        assertThat(catalog.listCollections(T, DB, Integer.MAX_VALUE, 0)).extracting(CollectionRecord::name)
                .containsExactly("c6", "c5", "c4", "c3", "c2", "c1", "c0");
        assertThat(catalog.listCollections(T, DB, 3, 2)).extracting(CollectionRecord::name)
                .containsExactly("c4", "c3", "c2");
        assertThat(catalog.listCollections(T, DB, 0, 0)).isEmpty();
        // a rename keeps the creation position
        CollectionRecord c4 = catalog.getCollection(T, DB, "c4");
        catalog.updateCollection(c4.id(), CollectionUpdate.NONE.withName("renamed"));
        assertThat(catalog.listCollections(T, DB, 3, 2)).extracting(CollectionRecord::name)
                .containsExactly("renamed", "c3", "c2");
    }

    @Test
    void updateRenamesReplacesMetadataAndSetsDimensionOnce() {
        CollectionRecord a = catalog.createCollection(T, DB, "a", Map.of("k", "v"), null, null);
        catalog.createCollection(T, DB, "b", null, null, null);

        assertThatThrownBy(() -> catalog.updateCollection(a.id(), CollectionUpdate.NONE.withName("b")))
                .isInstanceOf(AlreadyExistsException.class);
        CollectionRecord renamed = catalog.updateCollection(a.id(),
                CollectionUpdate.NONE.withName("a2").withMetadata(Map.of("k", "w")).withDimension(3));
        assertThat(renamed.name()).isEqualTo("a2");
        assertThat(renamed.metadata()).isEqualTo(Map.of("k", "w"));
        assertThat(renamed.dimension()).isEqualTo(3);
        assertThat(catalog.getCollection(T, DB, "a2").id()).isEqualTo(a.id());
        assertThatThrownBy(() -> catalog.getCollection(T, DB, "a")).isInstanceOf(NotFoundException.class);
        // the old name is free
        catalog.createCollection(T, DB, "a", null, null, null);

        assertThat(catalog.updateCollection(a.id(), CollectionUpdate.NONE.withDimension(3)).dimension()).isEqualTo(3);
        assertThatThrownBy(() -> catalog.updateCollection(a.id(), CollectionUpdate.NONE.withDimension(4)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("dimension 3");
        assertThatThrownBy(() -> catalog.updateCollection(UUID.randomUUID(), CollectionUpdate.NONE))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteReturnsTheRecordAndListsItForGc() {
        CollectionRecord c = catalog.createCollection(T, DB, "gone", null, null, 8);
        catalog.commitVersion(c.id(), 0, 1, "c/" + c.id() + "/v/1.json", 10);

        CollectionRecord deleted = catalog.deleteCollection(T, DB, "gone");

        assertThat(deleted.id()).isEqualTo(c.id());
        assertThat(deleted.version()).isEqualTo(1);
        assertThatThrownBy(() -> catalog.getCollection(c.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> catalog.deleteCollection(c.id())).isInstanceOf(NotFoundException.class);
        assertThat(catalog.countCollections(T, DB)).isZero();
        DroppedCollection dropped = catalog.droppedCollections().getFirst();
        assertThat(dropped.collection().id()).isEqualTo(c.id());
        assertThat(dropped.versions()).extracting(VersionInfo::key).containsExactly("c/" + c.id() + "/v/1.json");

        catalog.forgetDropped(c.id());
        assertThat(catalog.droppedCollections()).isEmpty();
    }

    @Test
    void commitVersionSwingsOnlyFromTheExpectedVersion() {
        CollectionRecord c = catalog.createCollection(T, DB, "v", null, null, null);
        CollectionRecord v1 = catalog.commitVersion(c.id(), 0, 1, "k1", 100);
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.versionKey()).isEqualTo("k1");
        assertThat(v1.logCursor()).isEqualTo(100);

        assertThatThrownBy(() -> catalog.commitVersion(c.id(), 0, 2, "k2", 200))
                .isInstanceOf(ConflictException.class).hasMessageContaining("version 1");
        assertThatThrownBy(() -> catalog.commitVersion(c.id(), 1, 1, "k2", 200))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> catalog.commitVersion(c.id(), 1, 2, "k2", 50))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("behind");
        catalog.commitVersion(c.id(), 1, 2, "k2", 200);
        catalog.commitVersion(c.id(), 2, 3, "k3", 300);

        assertThat(catalog.getCollection(c.id()).versionKey()).isEqualTo("k3");
        assertThat(catalog.versions(c.id())).extracting(VersionInfo::version).containsExactly(1L, 2L, 3L);
        assertThat(catalog.versions(c.id())).extracting(VersionInfo::logCursor).containsExactly(100L, 200L, 300L);

        catalog.forgetVersions(c.id(), Set.of(1L, 2L));
        assertThat(catalog.versions(c.id())).extracting(VersionInfo::version).containsExactly(3L);
        assertThatThrownBy(() -> catalog.forgetVersions(c.id(), Set.of(3L))).isInstanceOf(ConflictException.class);
        assertThat(catalog.versions(c.id())).extracting(VersionInfo::version).containsExactly(3L);
    }

    @Test
    void refusedChangesLeaveNoTrace() {
        long generation = catalog.generation();
        assertThatThrownBy(() -> catalog.createTenant(T)).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> catalog.createCollection(T, "nope", "x", null, null, null))
                .isInstanceOf(NotFoundException.class);
        assertThat(catalog.generation()).isEqualTo(generation);
        assertThat(catalog.countCollections(T, DB)).isZero();
    }
}
