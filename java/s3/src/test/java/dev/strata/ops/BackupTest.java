package dev.strata.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.ValueType;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogOptions;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.VersionInfo;
import dev.strata.storage.BlockCache;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.LocalKv;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStores;
import dev.strata.storage.StorageOptions;
import dev.strata.testing.S3MockServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupTest extends WithOpsFixture {


    @Test
    void backupToAFolderIsACompleteCopyAndASecondBackupCopiesNothing() {
        try (LocalObjectStore target = new LocalObjectStore(dir.resolve("backup"))) {
            CopyReport first = new Backup(f.store, target, 4).run();

            assertThat(first.catalogCopied()).isTrue();
            assertThat(first.collections()).isEqualTo(2);
            assertThat(first.versions()).isEqualTo(2);
            assertThat(first.objectsSkipped()).isZero();
            assertThat(first.bytesCopied()).isEqualTo(target.list("").stream().mapToLong(m -> m.size()).sum());
            assertRestorable(target, dir.resolve("kv-folder"));

            CopyReport second = new Backup(f.store, target, 4).run();
            assertThat(second.objectsCopied()).isZero();
            assertThat(second.bytesCopied()).isZero();
            assertThat(second.catalogCopied()).isFalse();
            assertThat(second.objectsSkipped()).isEqualTo(first.objectsCopied());
        }
    }

    @Test
    void backupToS3IsACompleteCopyAndASecondBackupCopiesNothing() {
        StorageOptions s3 = S3MockServer.shared().newStorage("ops-backup");
        try (ObjectStore target = ObjectStores.open(s3, null)) {
            CopyReport first = new Backup(f.store, target).run();
            assertThat(first.objectsCopied()).isPositive();
            assertRestorable(target, dir.resolve("kv-s3"));

            CopyReport second = new Backup(f.store, target).run();
            assertThat(second.objectsCopied()).isZero();
            assertThat(second.objectsSkipped()).isEqualTo(first.objectsCopied());
        }
    }

    /** The copy opens as a catalog with the same collections and versions, its blockfiles read, and it verifies clean. */
    private void assertRestorable(ObjectStore copy, Path kvDir) {
        // the log below the current version's cursor (6) is not needed, the rest is; version 1 is whole without it
        assertThat(copy.head(f.segment(1, 3))).isEmpty();
        assertThat(copy.head(f.segment(4, 6))).isEmpty();
        assertThat(copy.head(f.segment(7, 8))).isPresent();
        try (LocalKv kv = LocalKv.open(kvDir, List.of(Catalog.KV_FAMILY));
             Catalog restored = Catalog.open(kv, copy, CatalogOptions.defaults());
             LocalKv kv2 = LocalKv.open(kvDir.resolveSibling(kvDir.getFileName() + "-orig"), List.of(Catalog.KV_FAMILY));
             Catalog original = Catalog.openReadOnly(kv2, f.store, CatalogOptions.defaults());
             BlockCache cache = new BlockCache(copy, 8L << 20)) {
            assertThat(restored.allCollections()).isEqualTo(original.allCollections());
            assertThat(restored.versions(f.docs)).extracting(VersionInfo::version).containsExactly(1L, 2L);
            CollectionRecord docs = restored.getCollection(f.docs);
            assertThat(docs.versionKey()).isEqualTo(f.manifestV2);
            BlockfileReader<Long> ids = BlockfileReader.open(cache, f.idsRootV2, ValueType.LONG);
            assertThat(ids.get("", "id-zz")).contains(99L);
            assertThat(ids.entries().count()).isEqualTo(OpsFixture.RECORDS_V1 + 1);
            BlockfileReader<Long> idsV1 = BlockfileReader.open(cache, f.idsRootV1, ValueType.LONG);
            assertThat(idsV1.get("", "id-7")).contains(7L);
        }
        VerifyReport report = new Verifier(copy).verify();
        assertThat(report.problems()).isEmpty();
    }

    @Test
    void largeObjectsAreCopiedInRangesThroughATemporaryFileByteForByte() {
        try (LocalObjectStore target = new LocalObjectStore(dir.resolve("backup"))) {
            CopyReport r = new Backup(f.store, target, 2, 100, 37).run();

            assertThat(r.objectsCopied()).isPositive();
            for (ObjectMeta m : target.list("")) {
                assertThat(target.get(m.key())).as(m.key()).isEqualTo(f.store.get(m.key()));
            }
            assertThat(new Verifier(target).verify().problems()).isEmpty();
        }
    }

    @Test
    void aDroppedCollectionIsNotCopied() {
        f.dropCollection(f.docs);
        try (LocalObjectStore target = new LocalObjectStore(dir.resolve("backup"))) {
            CopyReport r = new Backup(f.store, target).run();

            assertThat(r.collections()).isEqualTo(1);
            assertThat(r.objectsCopied()).isEqualTo(1);
            assertThat(target.list("")).extracting(ObjectMeta::key).containsExactly(ObjectLayout.CATALOG_MANIFEST);
        }
    }

    @Test
    void restoreRefusesANonEmptyTargetUnlessForced() {
        try (LocalObjectStore backup = new LocalObjectStore(dir.resolve("backup"));
             LocalObjectStore fresh = new LocalObjectStore(dir.resolve("fresh"))) {
            new Backup(f.store, backup).run();

            CopyReport restored = Backup.restore(backup, fresh, false);
            assertThat(restored.catalogCopied()).isTrue();
            assertThat(new Verifier(fresh).verify().problems()).isEmpty();

            assertThatThrownBy(() -> Backup.restore(backup, fresh, false))
                    .isInstanceOf(TargetNotEmptyException.class)
                    .hasMessageContaining("not empty");
            assertThat(Backup.restore(backup, fresh, true).objectsCopied()).isZero();
        }
    }

    @Test
    void backupOfADamagedBucketFailsNamingTheKey() {
        f.flipByte(f.manifestV1);
        try (LocalObjectStore target = new LocalObjectStore(dir.resolve("backup"))) {
            assertThatThrownBy(() -> new Backup(f.store, target).run())
                    .isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining(f.manifestV1);
            assertThat(target.head(ObjectLayout.CATALOG_MANIFEST)).isEmpty();
        }
    }
}
