package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.blockfile.BlockKey;
import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.ValueType;
import dev.strata.filter.FilterParser;
import dev.strata.filter.MetadataFilter;
import dev.strata.nativeio.Space;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * Metadata value postings are kept per chunk of offsets (manifest format 4): records added at the newest offsets
 * rewrite only the newest chunk's index blocks, and every kind of where clause finds records in every chunk.
 */
class MetadataIndexChunksTest {

    private static final List<String> COLORS = List.of("red", "green", "blue", "cyan", "plum");

    @TempDir
    Path dir;

    @Test
    void addingRecordsRewritesOnlyTheNewestChunksIndexBlocksAndFiltersSpanEveryChunk() {
        // two chunks, the second with few records: its postings are small, so with blocks cut by size alone the block
        // holding chunk 0's last postings would also hold chunk 1's first, and be rewritten by the next add
        int first = SegmentParts.CHUNK_OFFSETS + 40;
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 4096)) {
            CompactedVersion v1 = f.apply(SegmentFixture.adds(0, first, SegmentFixture::smallVector, MetadataIndexChunksTest::metadata));
            CompactedVersion v2 = f.apply(SegmentFixture.adds(first, first + 300, SegmentFixture::smallVector,
                    MetadataIndexChunksTest::metadata));
            assertThat(v2.manifest().format()).isEqualTo(VersionManifest.FORMAT)
                    .isGreaterThanOrEqualTo(VersionManifest.CHUNKED_METADATA_INDEX);

            BlockfileReader<RoaringBitmap> before = f.bitmaps(v1, SegmentParts.METADATA_INDEX);
            BlockfileReader<RoaringBitmap> after = f.bitmaps(v2, SegmentParts.METADATA_INDEX);
            Set<String> olderChunk = SegmentFixture.blocksStartingIn(before, p -> SegmentParts.chunkOfPrefix(p) == 0);
            assertThat(olderChunk.size()).as("chunk 0 holds most index blocks").isGreaterThan(2 * (before.blockCount() - olderChunk.size()));
            assertThat(new HashSet<>(after.blockKeys())).as("every block of the older chunk is shared by the next version")
                    .containsAll(olderChunk);
            Set<String> written = new HashSet<>(after.blockKeys());
            written.removeAll(before.blockKeys());
            assertThat(written).as("blocks the add of 300 wrote: none holds a posting of chunk 0").isNotEmpty()
                    .doesNotContainAnyElementsOf(SegmentFixture.blocksStartingIn(after, p -> SegmentParts.chunkOfPrefix(p) == 0));

            Map<String, Record> records = SegmentFixture.readAll(v2);
            int edge = SegmentParts.CHUNK_OFFSETS;
            for (Map<String, Object> where : List.of(
                    Map.<String, Object>of("color", "plum"),
                    Map.<String, Object>of("color", Map.of("$ne", "red")),
                    Map.<String, Object>of("color", Map.of("$in", List.of("green", "cyan"))),
                    Map.<String, Object>of("color", Map.of("$nin", List.of("green", "cyan", "blue"))),
                    Map.<String, Object>of("n", (long) edge),
                    Map.<String, Object>of("n", (double) edge - 1),
                    Map.<String, Object>of("n", Map.of("$gte", (long) edge - 3)),
                    Map.<String, Object>of("n", Map.of("$lt", 17L)),
                    Map.<String, Object>of("$and", List.of(Map.of("n", Map.of("$gt", (long) edge - 50)),
                            Map.of("n", Map.of("$lte", (long) edge + 50)))),
                    Map.<String, Object>of("half", Map.of("$gt", (edge - 10) / 2.0)),
                    Map.<String, Object>of("half", 0.5),
                    Map.<String, Object>of("tags", Map.of("$contains", "t2")),
                    Map.<String, Object>of("$or", List.of(Map.of("color", "red"), Map.of("n", (long) first + 299))))) {
                MetadataFilter filter = FilterParser.parseWhere(where);
                Set<String> expected = records.values().stream().filter(r -> filter.matches(r.metadata()))
                        .map(Record::id).collect(Collectors.toCollection(TreeSet::new));
                assertThat(expected).as("%s matches records of both chunks or at their edge", where).isNotEmpty();
                assertThat(idsOf(v2, v2.matching(filter, null))).as("where %s", where).isEqualTo(expected);
            }
        }
    }

    @Property(tries = 200)
    void cuttingABitmapByChunkKeepsEveryOffsetInItsOwnChunk(
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 5 * (1 << 16)) Integer> offsets) {
        RoaringBitmap all = new RoaringBitmap();
        offsets.forEach(all::add);
        RoaringBitmap union = new RoaringBitmap();
        SegmentParts.byChunk(all).forEach((chunk, part) -> {
            assertThat(part.isEmpty()).isFalse();
            assertThat(part.first() / SegmentParts.CHUNK_OFFSETS).isEqualTo(chunk);
            assertThat(part.last() / SegmentParts.CHUNK_OFFSETS).isEqualTo(chunk);
            assertThat(SegmentParts.chunkOfPrefix(SegmentParts.chunkPrefix(chunk) + SegmentParts.scalarPrefix("k"))).isEqualTo((long) chunk);
            assertThat(RoaringBitmap.intersects(union, part)).isFalse();
            union.or(part);
        });
        assertThat(union).isEqualTo(all);
        assertThat(SegmentParts.chunkOfPrefix(SegmentParts.LIVE_PREFIX)).isEqualTo(-1L);
        assertThat(SegmentParts.chunkOfPrefix(SegmentParts.scalarPrefix("c00001"))).as("an unchunked key's prefix").isEqualTo(-1L);
    }


    private static Set<String> idsOf(CompactedVersion v, RoaringBitmap offsets) {
        return v.read(offsets.toArray(), VersionView.Fields.ALL).stream().map(Record::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, Object> metadata(int i) {
        return Map.of("color", COLORS.get(i % COLORS.size()), "n", (long) i, "half", i / 2.0, "tags", List.of("t" + i % 3));
    }


}
