package dev.strata.gc;

/**
 * Why an object of a live collection is in the store, as garbage collection sees it now: held by a kept version
 * (the strongest rule that keeps one of the versions naming it), a log segment kept or due, or left for GC.
 * {@link RetentionMeter} sorts every object under a collection's prefix into exactly one of these.
 */
public enum Retained {
    /** Named by the current version. */
    CURRENT("current", true),
    /** Named by one of the newest {@code keep_versions} versions, and not by the current one. */
    NEWEST("newest", true),
    /** Named by a version a read has pinned, and by no current or newest one. */
    PINNED("pinned", true),
    /** Named only by versions kept because they are younger than the TTL. */
    TTL("ttl", true),
    /** Named only by a version superseded less than the grace period ago (a read may be about to pin it). */
    GRACE("grace", true),
    /** Named by no kept version of this collection but by one of a fork (forks share their source's objects). */
    FORK("fork", true),
    /** A sealed log segment with records above the current version's cursor: a node opening the collection replays it. */
    LOG_UNCOMPACTED("log-uncompacted", true),
    /** A compacted log segment kept for a pinned or just-superseded version, on which a tail may still be built. */
    LOG_REPLAY("log-replay", true),
    /** The newest sealed segment, compacted but kept: its key records the last seq of the log. */
    LOG_NEWEST("log-newest", true),
    /** A compacted log segment the next GC deletes. */
    LOG_COMPACTED("log-compacted", false),
    /** The manifest of a version no rule keeps any more: the next GC deletes it. */
    EXPIRED("expired", false),
    /** Named by no kept version, older than the grace period: the next GC deletes it. */
    UNREFERENCED("unreferenced", false),
    /** Named by no kept version but too fresh to delete (within the grace period, or a compaction in flight). */
    FRESH("fresh", true);

    private final String label;
    private final boolean kept;

    Retained(String label, boolean kept) {
        this.label = label;
        this.kept = kept;
    }

    /** The name in reports (the JSON key and table column). */
    public String label() {
        return label;
    }

    /** Whether GC would keep the object if it ran now. */
    public boolean keptByGc() {
        return kept;
    }
}
