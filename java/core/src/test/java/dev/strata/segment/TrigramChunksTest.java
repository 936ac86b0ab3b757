package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.ValueType;
import dev.strata.filter.DocumentFilter;
import dev.strata.nativeio.Space;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * Trigram postings are kept per chunk of offsets: documents added at the newest offsets rewrite only the newest
 * chunk's blocks, and $contains finds documents in every chunk.
 */
class TrigramChunksTest {

    @TempDir
    Path dir;

    @Test
    void addingDocumentsRewritesOnlyTheNewestChunksTrigramBlocksAndContainsSpansEveryChunk() {
        // two chunks, the second with few documents (see MetadataIndexChunksTest)
        int first = SegmentParts.CHUNK_OFFSETS + 40;
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 4096)) {
            CompactedVersion v1 = f.apply(SegmentFixture.adds(0, first, TrigramChunksTest::vector, i -> Map.of("n", (long) i)));
            CompactedVersion v2 = f.apply(SegmentFixture.adds(first, first + 300, TrigramChunksTest::vector, i -> Map.of("n", (long) i)));
            assertThat(v2.manifest().format()).isEqualTo(VersionManifest.FORMAT).isGreaterThanOrEqualTo(VersionManifest.CHUNKED_TRIGRAMS);

            BlockfileReader<RoaringBitmap> before = trigrams(f, v1);
            BlockfileReader<RoaringBitmap> after = trigrams(f, v2);
            Set<String> chunkZero = MetadataIndexChunksTest.blocksOfChunk(before, 0);
            assertThat(chunkZero.size()).as("chunk 0 holds most trigram blocks").isGreaterThan(2 * (before.blockCount() - chunkZero.size()));
            Set<String> kept = new HashSet<>(after.blockKeys());
            assertThat(kept).as("every block of the older chunk is shared by the next version").containsAll(chunkZero);
            Set<String> written = new HashSet<>(after.blockKeys());
            written.removeAll(before.blockKeys());
            assertThat(written).as("trigram blocks the add of 300 wrote: none holds a posting of chunk 0").isNotEmpty()
                    .doesNotContainAnyElementsOf(MetadataIndexChunksTest.blocksOfChunk(after, 0));

            // a document of chunk 0 alone
            assertContains(v2, "record 1 says", IntStream.range(0, first + 300).filter(i -> String.valueOf(i).equals("1")));
            // 6553 and 65530..65539: both sides of the chunks' edge; then the newest document; then many in each chunk
            assertContains(v2, "record 6553", IntStream.range(0, first + 300).filter(i -> String.valueOf(i).startsWith("6553")));
            assertContains(v2, "record " + (first + 299) + " says", IntStream.of(first + 299));
            assertContains(v2, "record 69", IntStream.range(0, first + 300).filter(i -> String.valueOf(i).startsWith("69")));
        }
    }

    private static void assertContains(CompactedVersion v, String text, IntStream expected) {
        RoaringBitmap got = v.matching(null, new DocumentFilter.Contains(text, false));
        assertThat(got.toArray()).as("$contains %s", text).containsExactly(expected.toArray());
    }

    private static BlockfileReader<RoaringBitmap> trigrams(SegmentFixture f, CompactedVersion v) {
        return BlockfileReader.open(f.cache, v.manifest().roots().get(SegmentParts.TRIGRAMS), ValueType.BITMAP);
    }

    private static float[] vector(int seed) {
        float[] v = new float[4];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(seed * 17 + i);
        }
        return v;
    }
}
