package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.blockfile.BlockfileReader;
import dev.strata.nativeio.Space;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small change to a large version rewrites only the blocks it falls in; everything else is shared. */
class CopyOnWriteVersionTest {

    @TempDir
    Path dir;

    @Test
    void aSmallChangeRewritesFewBlocks() {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 4096)) {
            int before = f.store.writes();
            CompactedVersion v1 = f.apply(adds(0, 3000));
            int firstWrites = f.store.writes() - before;

            before = f.store.writes();
            CompactedVersion v2 = f.apply(new LogBatch(LogOperation.UPDATE, List.of("r1500"), null, null,
                    List.of(Map.of("color", "red-ish")), null));
            int metadataOnly = f.store.writes() - before;

            before = f.store.writes();
            CompactedVersion v3 = f.apply(new LogBatch(LogOperation.UPDATE, List.of("r10"), new float[][] {vector(77)},
                    null, null, null));
            int embeddingOnly = f.store.writes() - before;

            assertThat(firstWrites).isGreaterThan(200);
            // record.metadata: 1 block + root; metadata.index: the old and new posting blocks + root; manifest.
            assertThat(metadataOnly).isLessThanOrEqualTo(8);
            // a new index segment (centroids, postings, members: a block and a root each) and the manifest;
            // no record blockfile holds vectors any more.
            assertThat(embeddingOnly).isLessThanOrEqualTo(7);
            assertThat(v2.manifest().roots().get(SegmentParts.DOCUMENTS)).isEqualTo(v1.manifest().roots().get(SegmentParts.DOCUMENTS));
            assertThat(v2.manifest().segmentIds()).as("no vector changed: the index segments are shared").isEqualTo(v1.manifest().segmentIds());
            assertThat(v3.manifest().segmentIds()).as("one segment added, none rewritten")
                    .hasSize(v2.manifest().segmentIds().size() + 1).containsAll(v2.manifest().segmentIds());
            assertThat(v3.manifest().roots()).doesNotContainKey(SegmentParts.EMBEDDINGS);
            assertThat(SegmentFixture.readAll(v3)).isEqualTo(f.expected);
            assertThat(v3.matching(new dev.strata.filter.MetadataFilter.Compare("color", dev.strata.filter.MetadataFilter.CompareOp.EQ, "red-ish"), null)
                    .toArray()).containsExactly(1500);
        }
    }

    @Test
    void aVersionNamesThePreviousObjectsItNoLongerUsesAndForgetsThemInTheCache() {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 4096)) {
            CompactedVersion v1 = f.apply(adds(0, 3000));
            SegmentFixture.readAll(v1); // every field's blocks cached
            Set<String> v1Objects = objectsOf(f, v1);
            CompactedVersion v2 = f.apply(new LogBatch(LogOperation.UPDATE, List.of("r1500"), null, null,
                    List.of(Map.of("color", "red-ish")), null), adds(3000, 3010));
            Set<String> v2Objects = objectsOf(f, v2);
            Set<String> gone = new HashSet<>(v1Objects);
            gone.removeAll(v2Objects);
            assertThat(f.lastWritten.supersededKeys()).containsExactlyInAnyOrderElementsOf(gone);
            assertThat(gone).as("a few blocks and roots, not the whole version").isNotEmpty()
                    .hasSizeLessThan(v1Objects.size() / 4);
            assertThat(gone).anyMatch(f.cache::isCached);

            f.writer.forgetSuperseded(f.lastWritten);
            assertThat(gone).noneMatch(f.cache::isCached);
            assertThat(SegmentFixture.readAll(v1)).as("the old version still reads, from the store")
                    .hasSize(3000).containsEntry("r1500", new Record("r1500", vector(1500), "record 1500 says hello",
                            Map.of("color", "red", "n", 1500L), null));
        }
    }

    /** The roots and blocks a version names. */
    private static Set<String> objectsOf(SegmentFixture f, CompactedVersion v) {
        Set<String> keys = new HashSet<>();
        v.manifest().roots().values().forEach(root -> keys.addAll(BlockfileReader.objectKeysOf(f.cache, root)));
        return keys;
    }

    private static LogBatch adds(int from, int to) {
        return SegmentFixture.adds(from, to, CopyOnWriteVersionTest::vector,
                i -> Map.of("color", List.of("red", "green", "blue").get(i % 3), "n", (long) i));
    }

    private static float[] vector(int seed) {
        float[] v = new float[8];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(seed * 31 + i);
        }
        return v;
    }
}
