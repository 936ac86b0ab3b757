package dev.strata.blockfile;

/**
 * Where a writer must cut blocks beyond their size: entries of different groups never share a block, so
 * a reader that wants one group reads only its blocks. Groups must not decrease in key order (a group is
 * a contiguous key range), e.g. the cluster of an index posting key {@code cluster << 32 | offset}.
 */
@FunctionalInterface
public interface BlockGroups {

    /** Blocks cut by size only. */
    BlockGroups NONE = key -> 0L;

    /** The group of an entry's key. */
    long groupOf(BlockKey key);

    default boolean separates(BlockKey before, BlockKey after) {
        return groupOf(before) != groupOf(after);
    }
}
