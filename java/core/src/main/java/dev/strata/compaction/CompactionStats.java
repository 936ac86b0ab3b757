package dev.strata.compaction;

/**
 * What a node's compactions have done since it opened: runs that committed or failed (a pass that found nothing
 * to fold is not one), record changes folded (adds, updates and deletes of ids), and the time the runs took (from taking the collection's lock to the
 * last version's commit).
 */
public record CompactionStats(long runs, long changes, long nanos) {

    public double seconds() {
        return nanos / 1e9;
    }
}
