package dev.strata.engine;

import dev.strata.catalog.CollectionRecord;
import dev.strata.segment.VersionView;

/**
 * Opens (and pins) the compacted version a catalog record names: the seam between the engine and
 * whatever reads versions (the segment layer through {@link Maintenance}, or a test double).
 */
@FunctionalInterface
public interface VersionOpener {

    VersionView open(CollectionRecord collection);
}
