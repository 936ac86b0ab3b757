package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.ValueType;
import dev.strata.filter.DocumentFilter;
import dev.strata.nativeio.Space;
import java.nio.file.Path;
import dev.strata.blockfile.BlockfileWriter;
import dev.strata.filter.FilterParser;
import dev.strata.filter.MetadataFilter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.TreeSet;
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
            CompactedVersion v1 = f.apply(SegmentFixture.adds(0, first, SegmentFixture::smallVector, i -> Map.of("n", (long) i)));
            CompactedVersion v2 = f.apply(SegmentFixture.adds(first, first + 300, SegmentFixture::smallVector, i -> Map.of("n", (long) i)));
            assertThat(v2.manifest().format()).isEqualTo(VersionManifest.FORMAT).isGreaterThanOrEqualTo(VersionManifest.CHUNKED_TRIGRAMS);

            BlockfileReader<RoaringBitmap> before = f.bitmaps(v1, SegmentParts.TRIGRAMS);
            BlockfileReader<RoaringBitmap> after = f.bitmaps(v2, SegmentParts.TRIGRAMS);
            Set<String> chunkZero = SegmentFixture.blocksStartingIn(before, p -> SegmentParts.chunkOfPrefix(p) == 0);
            assertThat(chunkZero.size()).as("chunk 0 holds most trigram blocks").isGreaterThan(2 * (before.blockCount() - chunkZero.size()));
            Set<String> kept = new HashSet<>(after.blockKeys());
            assertThat(kept).as("every block of the older chunk is shared by the next version").containsAll(chunkZero);
            Set<String> written = new HashSet<>(after.blockKeys());
            written.removeAll(before.blockKeys());
            assertThat(written).as("trigram blocks the add of 300 wrote: none holds a posting of chunk 0").isNotEmpty()
                    .doesNotContainAnyElementsOf(SegmentFixture.blocksStartingIn(after, p -> SegmentParts.chunkOfPrefix(p) == 0));

            // a document of chunk 0 alone
            assertContains(v2, "record 1 says", IntStream.range(0, first + 300).filter(i -> String.valueOf(i).equals("1")));
            // 6553 and 65530..65539: both sides of the chunks' edge; then the newest document; then many in each chunk
            assertContains(v2, "record 6553", IntStream.range(0, first + 300).filter(i -> String.valueOf(i).startsWith("6553")));
            assertContains(v2, "record " + (first + 299) + " says", IntStream.of(first + 299));
            assertContains(v2, "record 69", IntStream.range(0, first + 300).filter(i -> String.valueOf(i).startsWith("69")));
        }
    }

    /**
     * The chunk still filling keeps its postings per sub-chunk: an add rewrites the newest sub-chunk's blocks only;
     * once the chunk is full one bitmap per trigram replaces its sub-chunks; updates and deletes on both sides of
     * the edge are found where they are.
     */
    @Test
    void theFillingChunkIsKeptPerSubChunkAndJoinedOnceFull() {
        int chunk = SegmentParts.CHUNK_OFFSETS;
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 4096)) {
            CompactedVersion v1 = f.apply(SegmentFixture.adds(0, chunk - 100, SegmentFixture::smallVector, i -> Map.of("n", (long) i)));
            assertThat(prefixes(f, v1)).as("chunk 0 still fills: its sub-chunks only")
                    .containsExactlyElementsOf(IntStream.range(0, SegmentParts.SUBS_PER_CHUNK)
                            .mapToObj(sub -> SegmentParts.subChunkPrefix(0, sub)).toList());
            CompactedVersion v2 = f.apply(SegmentFixture.adds(chunk - 100, chunk - 50, SegmentFixture::smallVector, i -> Map.of("n", (long) i)));
            Set<String> written = new HashSet<>(f.bitmaps(v2, SegmentParts.TRIGRAMS).blockKeys());
            written.removeAll(f.bitmaps(v1, SegmentParts.TRIGRAMS).blockKeys());
            String newest = SegmentParts.subChunkPrefix(0, SegmentParts.SUBS_PER_CHUNK - 1);
            assertThat(written).as("an add of 50 rewrites the newest sub-chunk's blocks only").isNotEmpty()
                    .isSubsetOf(SegmentFixture.blocksStartingIn(f.bitmaps(v2, SegmentParts.TRIGRAMS), newest::equals));
            assertThat(SegmentFixture.blocksStartingIn(f.bitmaps(v2, SegmentParts.TRIGRAMS), newest::equals).size()).isLessThan(f.bitmaps(v2, SegmentParts.TRIGRAMS).blockCount() / 4);

            CompactedVersion v3 = f.apply(SegmentFixture.adds(chunk - 50, chunk + 200, SegmentFixture::smallVector, i -> Map.of("n", (long) i)));
            assertThat(prefixes(f, v3)).as("chunk 0 full: one bitmap per trigram; chunk 1 fills").containsExactly(
                    SegmentParts.chunkPrefix(0), SegmentParts.subChunkPrefix(1, 0));
            assertMatchesDocuments(v3, List.of("record 6553", "record 655", "says hello", "record " + (chunk + 199) + " says"));

            CompactedVersion v4 = f.apply(List.of(
                    new LogBatch(LogOperation.UPSERT, List.of("r5", "r" + (chunk + 10), "r" + (chunk - 70)),
                            new float[][] {SegmentFixture.smallVector(5), SegmentFixture.smallVector(chunk + 10), SegmentFixture.smallVector(chunk - 70)},
                            List.of("zebra five", "zebra in chunk one", "zebra near the edge"), null, null),
                    LogBatch.delete(List.of("r7", "r" + (chunk + 11)))));
            assertThat(prefixes(f, v4)).containsExactly(SegmentParts.chunkPrefix(0), SegmentParts.subChunkPrefix(1, 0));
            assertMatchesDocuments(v4, List.of("zebra", "record 5 says", "record 7 says", "record " + (chunk + 11) + " says",
                    "record " + (chunk - 70) + " says", "record 6553", "says hello"));
        }
    }

    /** A version of format 3 (the chunk still filling kept whole) is read as it is and converted by the next add. */
    @Test
    void aFormatThreeVersionIsReadAndItsFillingChunkCutBySubChunkByTheNextCompaction() {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 4096)) {
            CompactedVersion v1 = f.apply(SegmentFixture.adds(0, 20_000, SegmentFixture::smallVector, i -> Map.of("n", (long) i)));
            f.current = formatThreeTwin(f, v1);
            assertThat(f.current.manifest().format()).isEqualTo(3);
            assertThat(prefixes(f, f.current)).containsExactly(SegmentParts.chunkPrefix(0));
            assertMatchesDocuments(f.current, List.of("record 1999", "says hello", "record 19999 says"));
            assertThat(f.current.matching(FilterParser.parseWhere(Map.of("n", Map.of("$gte", 19_990L))), null).getCardinality())
                    .isEqualTo(10);

            CompactedVersion v2 = f.apply(List.of(SegmentFixture.adds(20_000, 20_300, SegmentFixture::smallVector, i -> Map.of("n", (long) i)),
                    new LogBatch(LogOperation.UPSERT, List.of("r3"), new float[][] {SegmentFixture.smallVector(3)}, List.of("zebra three"),
                            List.of(Map.of("n", 3L)), null),
                    LogBatch.delete(List.of("r19999"))));
            assertThat(v2.manifest().format()).isEqualTo(VersionManifest.FORMAT);
            assertThat(prefixes(f, v2)).containsExactly(SegmentParts.subChunkPrefix(0, 0), SegmentParts.subChunkPrefix(0, 1),
                    SegmentParts.subChunkPrefix(0, 2));
            assertMatchesDocuments(v2, List.of("zebra", "record 3 says", "record 1999", "says hello", "record 19999 says",
                    "record 20299 says"));
            Map<String, Record> records = SegmentFixture.readAll(v2);
            MetadataFilter where = FilterParser.parseWhere(Map.of("n", Map.of("$gte", 19_990L)));
            assertThat(v2.matching(where, null).getCardinality()).isEqualTo(
                    records.values().stream().filter(r -> where.matches(r.metadata())).count()).isEqualTo(309);
        }
    }

    /**
     * The version as format 3 kept it, over the same records: trigram postings per chunk (the filling one whole) and
     * metadata values unchunked.
     */
    private static CompactedVersion formatThreeTwin(SegmentFixture f, CompactedVersion v) {
        String folder = "c/" + f.collection + "/";
        BlockfileWriter<RoaringBitmap> grams = BlockfileWriter.create(f.cache, folder, ValueType.BITMAP, 4096);
        Map<Object, RoaringBitmap> byGram = new HashMap<>();
        try (var all = f.bitmaps(v, SegmentParts.TRIGRAMS).entries()) {
            all.forEach(e -> byGram.computeIfAbsent(e.key().key(), k -> new RoaringBitmap()).or(e.value()));
        }
        byGram.forEach((gram, bitmap) -> grams.set(SegmentParts.chunkPrefix(0), gram, bitmap));
        BlockfileWriter<RoaringBitmap> index = BlockfileWriter.create(f.cache, folder, ValueType.BITMAP, 4096);
        try (var all = BlockfileReader.open(f.cache, v.manifest().roots().get(SegmentParts.METADATA_INDEX), ValueType.BITMAP).entries()) {
            all.forEach(e -> index.set(e.key().prefix().equals(SegmentParts.LIVE_PREFIX) ? e.key().prefix()
                    : e.key().prefix().substring(SegmentParts.chunkPrefix(0).length()), e.key().key(), e.value()));
        }
        Map<String, String> roots = new HashMap<>(v.manifest().roots());
        roots.put(SegmentParts.TRIGRAMS, grams.commit().rootKey());
        roots.put(SegmentParts.METADATA_INDEX, index.commit().rootKey());
        VersionManifest m = v.manifest();
        VersionManifest twin = new VersionManifest(3, m.collection(), m.version() + 100, m.logCursor(), m.createdAtMs(),
                m.dimension(), m.count(), m.nextOffset(), roots, m.indexFiles(), m.vector(),
                m.openBlocks().stream().filter(b -> !b.part().equals(SegmentParts.METADATA_INDEX)).toList());
        f.store.putIfAbsent(twin.objectKey(), twin.encode());
        return f.versions.open(twin.objectKey());
    }

    /** $contains of each text finds exactly the live records whose document holds it. */
    private static void assertMatchesDocuments(CompactedVersion v, List<String> texts) {
        Map<String, Record> records = SegmentFixture.readAll(v);
        for (String text : texts) {
            Set<String> expected = new TreeSet<>();
            records.values().stream().filter(r -> r.document() != null && r.document().contains(text)).forEach(r -> expected.add(r.id()));
            Set<String> got = new TreeSet<>();
            v.read(v.matching(null, new DocumentFilter.Contains(text, false)).toArray(), VersionView.Fields.ALL)
                    .forEach(r -> got.add(r.id()));
            assertThat(got).as("$contains %s", text).isEqualTo(expected);
        }
    }

    /** The distinct prefixes of a version's trigram postings, in order. */
    private static List<String> prefixes(SegmentFixture f, CompactedVersion v) {
        try (var all = f.bitmaps(v, SegmentParts.TRIGRAMS).entries()) {
            return all.map(e -> e.key().prefix()).distinct().toList();
        }
    }


    private static void assertContains(CompactedVersion v, String text, IntStream expected) {
        RoaringBitmap got = v.matching(null, new DocumentFilter.Contains(text, false));
        assertThat(got.toArray()).as("$contains %s", text).containsExactly(expected.toArray());
    }


}
