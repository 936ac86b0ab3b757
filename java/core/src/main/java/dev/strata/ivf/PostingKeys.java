package dev.strata.ivf;

import dev.strata.blockfile.BlockGroups;

/**
 * Keys of the posting and member blockfiles: one integer key {@code cluster << 32 | offset}, so the entries
 * sort by cluster, then offset, and a cluster's vectors are one contiguous key range.
 */
final class PostingKeys {

    static final String PREFIX = "";
    /** The key of the members file's tombstone bitmap (sorts before every cluster). */
    static final long TOMBSTONES = -1L;

    /** Posting blocks are cut at cluster changes. */
    static final BlockGroups BY_CLUSTER = key -> cluster(key.num());

    static long of(int cluster, int offset) {
        return ((long) cluster << 32) | (offset & 0xffffffffL);
    }

    static long firstOf(int cluster) {
        return (long) cluster << 32;
    }

    static long lastOf(int cluster) {
        return ((long) cluster << 32) | 0xffffffffL;
    }

    static int cluster(long key) {
        return (int) (key >>> 32);
    }

    static int offset(long key) {
        return (int) key;
    }

    private PostingKeys() {}
}
