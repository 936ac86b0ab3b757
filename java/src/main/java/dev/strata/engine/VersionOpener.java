package dev.strata.engine;

import dev.strata.api.InternalException;
import dev.strata.catalog.CollectionRecord;
import dev.strata.query.EmptyVersion;
import dev.strata.segment.VersionView;

/**
 * Opens (and pins) the compacted version a catalog record names. The seam where the segment layer's
 * reader plugs in; until then only version 0 (nothing compacted, everything in the log tail) exists.
 */
@FunctionalInterface
public interface VersionOpener {

    VersionView open(CollectionRecord collection);

    /** Opens version 0 only: the opener of a node without a segment reader. */
    static VersionOpener emptyOnly() {
        return collection -> {
            if (collection.version() != 0) {
                throw new InternalException("collection " + collection.id() + " is at version " + collection.version()
                        + " (" + collection.versionKey() + ") but this node has no segment reader to open it", null);
            }
            return EmptyVersion.INSTANCE;
        };
    }
}
