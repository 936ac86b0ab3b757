package dev.strata.blockfile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalObjectStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer cutting at groups: no block holds two groups, a large group takes several blocks. */
class BlockGroupsTest {

    private static final int TARGET = 1024;
    /** Group of a key: its thousands. */
    private static final BlockGroups BY_THOUSAND = k -> k.num() / 1000;

    @TempDir
    Path dir;

    private BlockCache cache;

    @BeforeEach
    void open() {
        cache = new BlockCache(new LocalObjectStore(dir), 64 << 20);
    }

    @AfterEach
    void close() {
        cache.close();
    }

    /** Group g holds sizes[g] keys g*1000 .. g*1000+sizes[g]-1. */
    private static final int[] SIZES = {3, 400, 1, 90, 1, 1, 250, 5};

    private CommitResult writeGroups(BlockGroups groups) {
        BlockfileWriter<Long> w = BlockfileWriter.create(cache, "c/col/", ValueType.LONG, TARGET).cutAt(groups);
        for (int g = 0; g < SIZES.length; g++) {
            for (int i = 0; i < SIZES[g]; i++) {
                w.set("", (long) g * 1000 + i, (long) i);
            }
        }
        return w.commit();
    }

    private static List<List<Long>> blockKeys(BlockfileReader<Long> r) {
        List<List<Long>> out = new ArrayList<>();
        for (int b = 0; b < r.blockCount(); b++) {
            Block<Long> block = r.block(b);
            List<Long> keys = new ArrayList<>();
            for (int row = 0; row < block.size(); row++) {
                keys.add(block.key(row).num());
            }
            out.add(keys);
        }
        return out;
    }

    private static void assertOneGroupPerBlock(BlockfileReader<Long> r) {
        for (List<Long> keys : blockKeys(r)) {
            assertThat(keys.stream().map(k -> k / 1000).distinct()).as("groups of block %s", keys).hasSize(1);
        }
    }

    @Test
    void noBlockHoldsTwoGroupsAndALargeGroupTakesSeveralBlocks() {
        BlockfileReader<Long> r = BlockfileReader.open(cache, writeGroups(BY_THOUSAND).rootKey(), ValueType.LONG);
        assertOneGroupPerBlock(r);
        long blocksOfGroup1 = blockKeys(r).stream().filter(k -> k.getFirst() / 1000 == 1).count();
        assertThat(blocksOfGroup1).as("400 entries of ~10 bytes in 1 KiB blocks").isGreaterThan(2);
        // every group starts a block; every entry is still there, in order
        assertThat(blockKeys(r).stream().map(List::getFirst).filter(k -> k % 1000 == 0).count()).isEqualTo(SIZES.length);
        assertThat(r.entries().map(e -> e.key().num()).toList()).isEqualTo(
                java.util.stream.IntStream.range(0, SIZES.length).boxed()
                        .flatMap(g -> LongStream.range(0, SIZES[g]).mapToObj(i -> g * 1000L + i)).toList());
        // without groups the small groups share blocks
        BlockfileReader<Long> plain = BlockfileReader.open(cache, writeGroups(BlockGroups.NONE).rootKey(), ValueType.LONG);
        assertThat(plain.blockCount()).isLessThan(r.blockCount());
        assertThat(blockKeys(plain).stream().anyMatch(k -> k.getFirst() / 1000 != k.getLast() / 1000)).isTrue();
    }

    @Test
    void aForkKeepsGroupsApartWhenItMergesASmallRewrittenBlock() {
        CommitResult base = writeGroups(BY_THOUSAND);
        BlockfileWriter<Long> w = BlockfileWriter.fork(cache, base.rootKey(), ValueType.LONG, TARGET).cutAt(BY_THOUSAND);
        // shrink group 3 to one entry and add to the single-entry group 4: both blocks end small
        for (int i = 1; i < SIZES[3]; i++) {
            w.delete("", 3000L + i);
        }
        w.set("", 4001L, 1L);
        BlockfileReader<Long> r = BlockfileReader.open(cache, w.commit().rootKey(), ValueType.LONG);
        assertOneGroupPerBlock(r);
        assertThat(r.get("", 3000L)).contains(0L);
        assertThat(r.get("", 3001L)).isEmpty();
        assertThat(r.get("", 4001L)).contains(1L);
        assertThat(r.count()).isEqualTo(java.util.Arrays.stream(SIZES).sum() - (SIZES[3] - 1) + 1);
    }
}
