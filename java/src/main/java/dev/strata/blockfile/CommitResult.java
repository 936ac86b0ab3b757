package dev.strata.blockfile;

import java.util.List;

/**
 * What a {@link BlockfileWriter#commit()} produced: the new root's object key (the blockfile's id for a
 * version manifest), the block objects it wrote, and the block objects it shares with the previous root.
 */
public record CommitResult(String rootKey, List<String> writtenBlockKeys, List<String> sharedBlockKeys, long entryCount) {

    public CommitResult {
        writtenBlockKeys = List.copyOf(writtenBlockKeys);
        sharedBlockKeys = List.copyOf(sharedBlockKeys);
    }

    public int blockCount() {
        return writtenBlockKeys.size() + sharedBlockKeys.size();
    }
}
