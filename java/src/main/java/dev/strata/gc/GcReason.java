package dev.strata.gc;

/** Why garbage collection deletes (or, in a dry run, would delete) an object. */
public enum GcReason {
    /** The manifest of a committed version that no rule keeps any more. */
    EXPIRED_VERSION,
    /** A block, root, index file or uncommitted manifest that no kept version names, older than the grace period. */
    UNREFERENCED,
    /** A sealed log segment whose records every kept version already includes (never the newest segment). */
    LOG_BELOW_CURSOR,
    /** Any object of a collection deleted longer ago than the grace period. */
    DROPPED_COLLECTION
}
