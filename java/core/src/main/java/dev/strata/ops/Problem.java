package dev.strata.ops;

import java.util.Objects;

/**
 * One thing {@link Verifier} found wrong (or worth a warning) with an object of the bucket.
 *
 * @param key    the object key concerned (for a gap in the log, the segment after the gap)
 * @param detail what is wrong, in words
 */
public record Problem(Kind kind, String key, String detail) {

    /** What kind of problem; errors make the CLI exit non-zero, warnings do not. */
    public enum Kind {
        /** A version, root, block, index file or log segment that something names is not in the store. */
        MISSING(true),
        /** The object is there but fails its checksum or does not decode. */
        CORRUPT(true),
        /** The object is in a format version a newer Strata wrote: this build cannot check it (upgrade to). */
        TOO_NEW(true),
        /** A version manifest whose collection, version or cursor disagree with its key or the catalog. */
        MISMATCH(true),
        /** A log segment holding seqs another segment of its collection holds too: two writers logged them. */
        OVERLAP(true),
        /**
         * A log segment a writer put after a newer writer epoch took its log over (a fenced zombie's late upload):
         * readers ignore it; GC deletes it once compaction passes its seqs.
         */
        FENCED(false),
        /** An object under {@code c/{id}/} that no kept version names: GC's to delete (fresh ones may be in flight). */
        ORPHAN(false),
        /** An index file of a format this tool does not know: only its presence was checked. */
        UNVERIFIED(false);

        private final boolean error;

        Kind(boolean error) {
            this.error = error;
        }

        public boolean isError() {
            return error;
        }
    }

    public Problem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return kind + " " + key + ": " + detail;
    }
}
