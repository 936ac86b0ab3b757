package dev.strata.compaction;

import java.util.List;
import java.util.UUID;

/**
 * What one compaction did.
 *
 * @param version          the collection's current version afterwards (unchanged when nothing was compacted)
 * @param logCursor        the last log seq that version includes
 * @param records          log records (batches) folded in
 * @param changes          net record changes written
 * @param deletableLogKeys object keys of log segments now below the cursor, for GC to delete
 */
public record CompactionResult(UUID collection, long version, long logCursor, int records, int changes,
                               List<String> deletableLogKeys) {

    public CompactionResult {
        deletableLogKeys = List.copyOf(deletableLogKeys);
    }

    /** Whether a new version was committed. */
    public boolean committed() {
        return records > 0;
    }
}
