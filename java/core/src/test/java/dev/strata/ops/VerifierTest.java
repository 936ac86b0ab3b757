package dev.strata.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.segment.VersionManifest;
import dev.strata.storage.LocalKv;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectLayout;
import dev.strata.wal.WalOptions;
import dev.strata.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifierTest extends WithOpsFixture {


    private VerifyReport verify() {
        return new Verifier(f.store, 4).verify();
    }

    @Test
    void intactBucketHasNoProblemAndEveryObjectIsChecked() {
        VerifyReport r = verify();

        assertThat(r.problems()).isEmpty();
        assertThat(r.ok()).isTrue();
        assertThat(r.collections()).isEqualTo(2);
        assertThat(r.versions()).isEqualTo(2);
        // every object of the bucket is reachable: catalog + everything under c/
        long objects = f.store.list("c/").size() + 1;
        long bytes = f.store.list("").stream().filter(m -> !m.key().equals("lease.json")).mapToLong(m -> m.size()).sum();
        assertThat(r.objectsChecked()).isEqualTo(objects);
        assertThat(r.bytesChecked()).isEqualTo(bytes);
    }

    @Test
    void flippedByteInABlockIsReportedWithTheBlockKey() {
        String block = f.idsBlocksV2.get(f.idsBlocksV2.size() / 2);
        f.flipByte(block);

        VerifyReport r = verify();

        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.CORRUPT);
            assertThat(p.key()).isEqualTo(block);
            assertThat(p.detail()).startsWith("corrupt object: block checksum mismatch").doesNotContain("(key ");
        });
    }

    @Test
    void deletedRootIsReportedMissingAndItsBlocksBecomeOrphans() {
        f.store.delete(f.idsRootV2);

        VerifyReport r = verify();

        assertThat(r.errors()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.MISSING);
            assertThat(p.key()).isEqualTo(f.idsRootV2);
        });
        // blocks only the lost root named are now named by nothing
        assertThat(r.warnings()).isNotEmpty().allSatisfy(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.ORPHAN);
            assertThat(p.detail()).contains("a root of this collection is missing or corrupt");
        });
    }

    @Test
    void corruptVersionManifestIsReported() {
        f.flipByte(f.manifestV2);

        VerifyReport r = verify();

        assertThat(r.errors()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.CORRUPT);
            assertThat(p.key()).isEqualTo(f.manifestV2);
        });
    }

    @Test
    void aVersionManifestANewerStrataWroteIsTooNewNotCorrupt() {
        VersionManifest m = VersionManifest.decode(f.manifestV2, f.store.get(f.manifestV2));
        f.store.put(f.manifestV2, new VersionManifest(VersionManifest.FORMAT + 1, m.collection(), m.version(), m.logCursor(),
                m.createdAtMs(), m.dimension(), m.count(), m.nextOffset(), m.roots(), m.indexFiles(), m.vector(),
                m.openBlocks()).encode());

        VerifyReport r = verify();

        assertThat(r.errors()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.TOO_NEW);
            assertThat(p.key()).isEqualTo(f.manifestV2);
            assertThat(p.detail()).contains("written by a newer Strata");
        });
    }

    @Test
    void versionManifestUnderAnotherVersionsKeyIsAMismatch() {
        f.store.put(f.manifestV1, f.store.get(f.manifestV2));

        VerifyReport r = verify();

        assertThat(r.errors()).isNotEmpty().allSatisfy(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.MISMATCH);
            assertThat(p.key()).isEqualTo(f.manifestV1);
        });
        assertThat(r.errors()).anySatisfy(p -> assertThat(p.detail()).contains("its key says"));
    }

    @Test
    void corruptIndexFileIsReported() {
        f.flipByte(f.indexKey);

        assertThat(verify().errors()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.CORRUPT);
            assertThat(p.key()).isEqualTo(f.indexKey);
            assertThat(p.detail()).contains("index file checksum mismatch");
        });
    }

    @Test
    void corruptLogSegmentAndAHoleInTheLogAreReported() throws IOException {
        f.flipByte(f.segment(7, 8));
        String afterHole = plantSegment(10, 11); // seq 9, above the current cursor 6, is in no segment

        VerifyReport r = verify();

        assertThat(r.errors()).hasSize(2);
        assertThat(r.errors()).anySatisfy(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.CORRUPT);
            assertThat(p.key()).isEqualTo(f.segment(7, 8));
        });
        assertThat(r.errors()).anySatisfy(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.MISSING);
            assertThat(p.key()).as("the segment after the hole").isEqualTo(afterHole);
            assertThat(p.detail()).contains("log records 9..9");
        });
    }

    @Test
    void aSegmentHoldingSeqsAnotherSegmentHoldsIsReportedWithBothKeys() throws IOException {
        // A fenced writer that went on from seq 7 and uploaded late: its 7-9 holds 7..8 as the writer's 7-8 does.
        String stale = plantSegment(7, 9);

        VerifyReport r = verify();

        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.OVERLAP);
            assertThat(p.key()).isEqualTo(stale);
            assertThat(p.detail()).contains("seqs 7..8").contains(f.segment(7, 8));
        });
    }

    @Test
    void aSegmentInsideAnotherIsAnOverlapToo() throws IOException {
        String inner = plantSegment(8, 8);

        assertThat(verify().errors()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.OVERLAP);
            assertThat(p.key()).isEqualTo(inner);
            assertThat(p.detail()).contains("seqs 8..8").contains(f.segment(7, 8));
        });
    }

    @Test
    void holesAndOverlapsBelowTheCurrentCursorAreLegal() throws IOException {
        // The current version's cursor is 6: GC deletes segments below it in any order, and nobody reads them; the
        // kept version 1 (cursor 3) is complete without them.
        plantSegment(2, 5);
        f.store.delete(f.segment(4, 6));

        assertThat(verify().problems()).isEmpty();
    }

    /**
     * Puts a well-formed segment object for seqs {@code first..last} of collection docs, written by another log (a
     * scratch one whose first {@code first - 1} records are uploaded and left alone), as a second writer would.
     */
    private String plantSegment(long first, long last) throws IOException {
        Path scratch = Files.createDirectories(dir.resolve("other-writer-" + first + "-" + last));
        try (LocalObjectStore other = new LocalObjectStore(scratch.resolve("objects"));
             LocalKv kv = LocalKv.open(scratch.resolve("catalog"),
                     List.of(WriteAheadLog.KV_FAMILY))) {
            for (long[] range : new long[][] {{1, first - 1}, {first, last}}) {
                try (WriteAheadLog wal = WriteAheadLog.open(scratch.resolve("wal"), kv, other,
                        WalOptions.defaults())) {
                    for (long seq = range[0]; seq <= range[1]; seq++) {
                        wal.append(f.docs.toString(), ("stale " + seq).getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            String key = f.segment(first, last);
            f.store.put(key, other.get(key));
            return key;
        }
    }

    @Test
    void unreferencedObjectsAreOrphanWarningsNotErrors() {
        String stray = "c/" + f.docs + "/b/stray-block";
        String unknownCollection = "c/not-a-collection/r/x";
        f.store.put(stray, new byte[] {1, 2, 3});
        f.store.put(unknownCollection, new byte[] {4});

        VerifyReport r = verify();

        assertThat(r.ok()).isTrue();
        assertThat(r.warnings()).extracting(Problem::key).containsExactly(stray, unknownCollection);
        assertThat(r.countsByKind()).containsEntry(Problem.Kind.ORPHAN, 2L).containsEntry(Problem.Kind.CORRUPT, 0L);
    }

    @Test
    void objectsOfADroppedCollectionAreLeftToGcWithoutWarnings() {
        f.dropCollection(f.docs);
        f.flipByte(f.idsBlocksV2.getFirst()); // not reachable any more: not checked

        VerifyReport r = verify();

        assertThat(r.problems()).isEmpty();
        assertThat(r.collections()).isEqualTo(1);
        assertThat(r.versions()).isZero();
        assertThat(r.objectsChecked()).isEqualTo(1); // the catalog manifest
    }

    @Test
    void missingOrCorruptCatalogManifestIsReported() throws IOException {
        f.flipByte(ObjectLayout.CATALOG_MANIFEST);
        assertThat(verify().errors()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.CORRUPT);
            assertThat(p.key()).isEqualTo(ObjectLayout.CATALOG_MANIFEST);
        });

        Path emptyDir = Files.createDirectories(dir.resolve("empty"));
        try (LocalObjectStore empty = new LocalObjectStore(emptyDir)) {
            assertThat(new Verifier(empty).verify().errors()).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(Problem.Kind.MISSING);
                assertThat(p.key()).isEqualTo(ObjectLayout.CATALOG_MANIFEST);
            });
        }
    }
}
