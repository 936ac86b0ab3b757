package dev.strata.blockfile;

import java.util.List;

/**
 * What a {@link BlockfileWriter#commit()} produced: the new root's object key (the blockfile's id for a
 * version manifest), the block objects it wrote, the block objects it shares with the previous root, and
 * the previous root's objects the new one no longer names (its replaced blocks and the previous root
 * itself; empty for a new blockfile).
 */
public record CommitResult(String rootKey, List<String> writtenBlockKeys, List<String> sharedBlockKeys,
        List<String> supersededKeys, long entryCount) {

    public CommitResult {
        writtenBlockKeys = List.copyOf(writtenBlockKeys);
        sharedBlockKeys = List.copyOf(sharedBlockKeys);
        supersededKeys = List.copyOf(supersededKeys);
    }

    public int blockCount() {
        return writtenBlockKeys.size() + sharedBlockKeys.size();
    }
}
