package dev.strata.gc;

/** Why garbage collection deletes (or, in a dry run, would delete) an object. */
public enum GcReason {
    /** The manifest of a committed version that no rule keeps any more. */
    EXPIRED_VERSION,
    /** A block, root, index file or uncommitted manifest that no kept version names, older than the grace period. */
    UNREFERENCED,
    /**
     * A sealed log segment whose records the current version already includes, as does every version a tail may
     * still be built on (one superseded within the grace period, a pinned one); never the newest segment.
     */
    LOG_BELOW_CURSOR,
    /** Any object of a collection deleted longer ago than the grace period. */
    DROPPED_COLLECTION
}
