package dev.strata.blockfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectStoreException;
import dev.strata.storage.RequestStats.Op;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copy-on-write: a commit writes only the blocks whose key range changed, then the root. */
class BlockfileCopyOnWriteTest {

    private static final int TARGET = 1024;
    private static final int ENTRIES = 1600;

    @TempDir
    Path dir;

    private RecordingStore store;
    private BlockCache cache;
    private CommitResult base;
    private BlockfileReader<Long> baseReader;

    @BeforeEach
    void writeFiftyBlocks() {
        store = new RecordingStore(new LocalObjectStore(dir));
        cache = new BlockCache(store, 64 << 20);
        BlockfileWriter<Long> w = BlockfileWriter.create(cache, "c/col/", ValueType.LONG, TARGET);
        for (int i = 0; i < ENTRIES; i++) {
            w.set("p", key(i), (long) i);
        }
        base = w.commit();
        baseReader = BlockfileReader.open(cache, base.rootKey(), ValueType.LONG);
        assertThat(baseReader.blockCount()).isEqualTo(50);
        store.putKeys.clear();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static String key(int i) {
        return "k%05d".formatted(i);
    }

    private BlockfileWriter<Long> fork() {
        return BlockfileWriter.fork(cache, base.rootKey(), ValueType.LONG, TARGET);
    }

    @Test
    void changingOneKeyWritesOneBlockAndTheRoot() {
        long putsBefore = store.stats().requests(Op.PUT);
        CommitResult next = fork().set("p", key(801), -1L).commit();
        assertThat(store.stats().requests(Op.PUT) - putsBefore).isEqualTo(2);
        assertThat(next.writtenBlockKeys()).hasSize(1);
        assertThat(next.sharedBlockKeys()).hasSize(49).isSubsetOf(base.writtenBlockKeys());
        assertThat(store.putKeys).containsExactly(next.writtenBlockKeys().getFirst(), next.rootKey());

        BlockfileReader<Long> after = BlockfileReader.open(cache, next.rootKey(), ValueType.LONG);
        assertThat(after.get("p", key(801))).contains(-1L);
        assertThat(after.count()).isEqualTo(ENTRIES);
        assertThat(baseReader.get("p", key(801))).as("the old version is untouched").contains(801L);
        int changedBlock = baseReader.blockIndexOf("p", key(801));
        assertThat(after.blockKeys().get(changedBlock)).isEqualTo(next.writtenBlockKeys().getFirst());
        assertThat(baseReader.blockKeys().get(changedBlock)).isNotIn(after.blockKeys());
        assertThat(next.supersededKeys()).as("the replaced block and the old root")
                .containsExactlyInAnyOrder(baseReader.blockKeys().get(changedBlock), base.rootKey());
        assertThat(base.supersededKeys()).as("a new blockfile replaces nothing").isEmpty();
    }

    @Test
    void anUnchangedCommitSharesEveryBlock() {
        CommitResult next = fork().commit();
        assertThat(next.writtenBlockKeys()).isEmpty();
        assertThat(next.sharedBlockKeys()).containsExactlyElementsOf(base.writtenBlockKeys());
        assertThat(next.rootKey()).isNotEqualTo(base.rootKey());
        assertThat(store.putKeys).containsExactly(next.rootKey());
        assertThat(next.supersededKeys()).containsExactly(base.rootKey());
    }

    @Test
    void growingOneBlockSplitsItAndSharesTheRest() {
        BlockfileWriter<Long> w = fork();
        int block = baseReader.blockIndexOf("p", key(500));
        for (int i = 0; i < 200; i++) {
            w.set("p", key(500) + "-" + i, (long) i);
        }
        CommitResult next = w.commit();
        assertThat(next.writtenBlockKeys()).hasSizeGreaterThanOrEqualTo(7);
        assertThat(next.sharedBlockKeys()).hasSize(49);
        BlockfileReader<Long> after = BlockfileReader.open(cache, next.rootKey(), ValueType.LONG);
        assertThat(after.count()).isEqualTo(ENTRIES + 200);
        assertThat(after.blockKeys().subList(0, block)).isEqualTo(baseReader.blockKeys().subList(0, block));
        assertThat(after.get("p", key(500) + "-199")).contains(199L);
        for (int b = 0; b < after.blockCount(); b++) {
            assertThat(after.block(b).size()).as("block %d", b).isBetween(1, 2 * TARGET / 30);
        }
    }

    @Test
    void emptiedBlockIsDroppedWithoutRewritingNeighbours() {
        int block = 20;
        BlockfileWriter<Long> w = fork();
        List<BlockKey> keys = new ArrayList<>();
        Block<Long> b = baseReader.block(block);
        for (int r = 0; r < b.size(); r++) {
            keys.add(b.key(r));
        }
        keys.forEach(k -> w.delete(k.prefix(), k.key()));
        CommitResult next = w.commit();
        assertThat(next.writtenBlockKeys()).isEmpty();
        assertThat(next.sharedBlockKeys()).hasSize(49).doesNotContain(baseReader.blockKeys().get(block));
        BlockfileReader<Long> after = BlockfileReader.open(cache, next.rootKey(), ValueType.LONG);
        assertThat(after.count()).isEqualTo(ENTRIES - keys.size());
        assertThat(after.contains("p", keys.getFirst().key())).isFalse();
    }

    @Test
    void shrunkenBlockMergesWithANeighbour() {
        int block = 20;
        Block<Long> b = baseReader.block(block);
        BlockfileWriter<Long> w = fork();
        for (int r = 1; r < b.size(); r++) {
            w.delete("p", b.key(r).key());
        }
        CommitResult next = w.commit();
        assertThat(next.writtenBlockKeys()).hasSize(1);
        assertThat(next.sharedBlockKeys()).hasSize(48)
                .doesNotContain(baseReader.blockKeys().get(block), baseReader.blockKeys().get(block + 1));
        BlockfileReader<Long> after = BlockfileReader.open(cache, next.rootKey(), ValueType.LONG);
        assertThat(after.blockCount()).isEqualTo(49);
        assertThat(after.entries().map(e -> e.value()).toList()).isSorted().hasSize(ENTRIES - b.size() + 1);
    }

    @Test
    void deletingEverythingLeavesAnEmptyBlockfile() {
        BlockfileWriter<Long> w = fork();
        for (int i = 0; i < ENTRIES; i++) {
            w.delete("p", key(i));
        }
        CommitResult next = w.commit();
        assertThat(next.blockCount()).isZero();
        assertThat(BlockfileReader.open(cache, next.rootKey(), ValueType.LONG).entries()).isEmpty();
    }

    @Test
    void keysBeforeTheFirstAndAfterTheLastBlockTouchOnlyTheEdgeBlocks() {
        CommitResult next = fork().set("a", "first", 1L).set("z", "last", 2L).commit();
        assertThat(next.writtenBlockKeys()).hasSize(2);
        BlockfileReader<Long> after = BlockfileReader.open(cache, next.rootKey(), ValueType.LONG);
        assertThat(after.entries().findFirst().orElseThrow().key()).isEqualTo(BlockKey.of("a", "first"));
        assertThat(after.get("z", "last")).contains(2L);
        assertThat(after.blockFirstKeys().getFirst()).isEqualTo(BlockKey.of("a", "first"));
    }

    @Test
    void aFailedBlockUploadWritesNoRoot() {
        Set<String> rootsBefore = new HashSet<>(store.list("c/col/r/").stream().map(m -> m.key()).toList());
        store.failPut = key -> key.contains("/b/");
        BlockfileWriter<Long> w = fork();
        for (int i = 0; i < ENTRIES; i += 100) {
            w.set("p", key(i), 0L);
        }
        assertThatThrownBy(w::commit).isInstanceOf(ObjectStoreException.class).hasMessageContaining("injected");
        assertThat(store.list("c/col/r/").stream().map(m -> m.key()).toList()).containsExactlyInAnyOrderElementsOf(rootsBefore);
    }

    @Test
    void blocksAreWrittenBeforeTheRootThatNamesThem() {
        long getsBefore = store.stats().requests(Op.GET);
        BlockfileWriter<Long> w = BlockfileWriter.fork(new BlockCache(store, 64 << 20), base.rootKey(), ValueType.LONG, TARGET);
        for (int i = 0; i < ENTRIES; i += 40) {
            w.set("p", key(i), 0L);
        }
        CommitResult next = w.commit();
        assertThat(store.stats().requests(Op.GET) - getsBefore).as("root, then each changed block once").isEqualTo(41);
        assertThat(next.writtenBlockKeys()).hasSize(40);
        assertThat(store.putKeys.getLast()).isEqualTo(next.rootKey());
        assertThat(store.putKeys.subList(0, 40)).containsExactlyInAnyOrderElementsOf(next.writtenBlockKeys());
    }
}
