package dev.strata.compaction;

import dev.strata.catalog.CollectionRecord;
import dev.strata.segment.VersionManifest;

/**
 * Told after a compaction swung a collection's current version, so the engine can open the new version
 * and trim its log tail (e.g. {@code CollectionRuntime.publish(committed)}). Called on the compacting
 * thread; a listener that throws does not undo the commit.
 */
@FunctionalInterface
public interface CompactionListener {

    void onVersionCommitted(CollectionRecord committed, VersionManifest manifest);
}
