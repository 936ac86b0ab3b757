package dev.strata.ivf;

import static dev.strata.ivf.ClusteredIndexTest.clustered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.blockfile.Block;
import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.ValueKind;
import dev.strata.nativeio.Space;
import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectStore;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * Codes derived from the posting blocks' vectors when a block is decoded, against codes stored next to the
 * vectors (the layout of 2026-12-05 to 2026-12-07): the same codes and answers, for fewer stored bytes.
 */
class DerivedCodesTest {

    @TempDir
    Path dir;

    private static final int N = 5000;

    private record Written(ObjectStore store, IndexUpdate.Result result) {}

    private Written write(Space space, ClusterSegmentWriter.Codes codes, Map<Integer, float[]> all) {
        LocalObjectStore store = new LocalObjectStore(dir.resolve(space.chromaName() + "-" + codes));
        try (BlockCache cache = new BlockCache(store, 256L << 20)) {
            IvfParams params = new IvfParams(space, ClusteredIndexTest.DIM, 64, 16);
            IndexUpdate update = new IndexUpdate(new ClusterSegmentWriter(cache, "c/t/", 64 << 10, codes), params);
            return new Written(store, update.apply(null, RoaringBitmap.bitmapOfRange(0, N), all, new RoaringBitmap(), 7));
        }
    }

    /** Every offset's code as the segment's query path sees it, from its decoded posting blocks. */
    private static Map<Integer, byte[]> codesOf(ClusterSegment segment) {
        Map<Integer, byte[]> out = new HashMap<>();
        BlockfileReader<?> postings = segment.postings();
        for (int b = 0; b < postings.blockCount(); b++) {
            try (Block<?> block = postings.block(b)) {
                assertThat(block.hasCodes()).isTrue();
                for (int row = 0; row < block.size(); row++) {
                    out.put(PostingKeys.offset(block.key(row).num()), block.codes()
                            .asSlice((long) row * ClusteredIndexTest.DIM, ClusteredIndexTest.DIM).toArray(ValueLayout.JAVA_BYTE));
                }
            }
        }
        return out;
    }

    private static long postingBytes(ObjectStore store, BlockfileReader<?> postings) {
        return postings.blockKeys().stream().mapToLong(k -> store.head(k).orElseThrow().size()).sum();
    }

    @Test
    void derivedCodesEqualStoredOnesAndAnswerTheSameForAFifthFewerPostingBytes() {
        for (Space space : Space.values()) {
            Map<Integer, float[]> all = clustered(0, N, 21);
            Written stored = write(space, ClusterSegmentWriter.Codes.STORED, all);
            Written derived = write(space, ClusterSegmentWriter.Codes.DERIVED, all);
            IvfParams params = new IvfParams(space, ClusteredIndexTest.DIM, 64, 16);
            try (BlockCache storedCache = new BlockCache(stored.store(), 256L << 20);
                    BlockCache derivedCache = new BlockCache(derived.store(), 256L << 20)) {
                RoaringBitmap live = RoaringBitmap.bitmapOfRange(0, N);
                ClusteredIndex a = ClusteredIndex.open(storedCache, params, stored.result().segments(), live);
                ClusteredIndex b = ClusteredIndex.open(derivedCache, params, derived.result().segments(), live);
                ClusterSegment sa = a.segments().getFirst();
                ClusterSegment sb = b.segments().getFirst();
                assertThat(sa.storesCodes()).isTrue();
                assertThat(sb.storesCodes()).isFalse();
                assertThat(sb.hasCodes()).as("searched by codes in %s", space).isTrue();
                assertThat(sb.postings().valueType().kind()).isEqualTo(ValueKind.FLOAT_VECTOR);

                Map<Integer, byte[]> storedCodes = codesOf(sa);
                Map<Integer, byte[]> derivedCodes = codesOf(sb);
                assertThat(derivedCodes).hasSize(N);
                storedCodes.forEach((offset, code) ->
                        assertThat(derivedCodes.get(offset)).as("code of %d in %s", offset, space).containsExactly(code));

                for (int q = 0; q < 20; q++) {
                    float[] query = clustered(40_000 + q, 40_001 + q, 500 + q).values().iterator().next();
                    Nearest x = a.nearest(query, 10, null);
                    Nearest y = b.nearest(query, 10, null);
                    assertThat(y.offsets()).containsExactly(x.offsets());
                    assertThat(y.distances()).containsExactly(x.distances());
                }
                long bytesStored = postingBytes(stored.store(), sa.postings());
                long bytesDerived = postingBytes(derived.store(), sb.postings());
                // Rows of 32 floats and 32 code bytes against 32 floats: 128 / 160 bytes, plus keys and framing.
                assertThat((double) bytesDerived / bytesStored).as("posting bytes in %s", space).isLessThan(0.9);
            }
        }
    }

    @Test
    void aBlockDecodedWithoutCodesByAnotherReaderIsDecodedAgainForTheCodeScan() {
        Map<Integer, float[]> all = clustered(0, N, 5);
        Written derived = write(Space.COSINE, ClusterSegmentWriter.Codes.DERIVED, all);
        IvfParams params = new IvfParams(Space.COSINE, ClusteredIndexTest.DIM, 64, 16);
        try (BlockCache cache = new BlockCache(derived.store(), 256L << 20)) {
            // A reader that does not know the segment (the verifier reads every block so) caches them codeless.
            BlockfileReader<?> plain = BlockfileReader.open(cache, derived.result().segments().getFirst().postingsRoot());
            for (int b = 0; b < plain.blockCount(); b++) {
                try (Block<?> block = plain.block(b)) {
                    assertThat(block.hasCodes()).isFalse();
                }
            }
            ClusteredIndex index = ClusteredIndex.open(cache, params, derived.result().segments(), RoaringBitmap.bitmapOfRange(0, N));
            float[] query = all.get(123);
            Nearest got = index.nearest(query, 10, null);
            assertThat(got.offsets()[0]).isEqualTo(123);
            assertThat(codesOf(index.segments().getFirst())).hasSize(N);
        }
    }
}
