package dev.strata.ops.port;

/** Told how a copy advances: one collection at a time. */
public interface PortProgress {

    /** A collection starts; {@code total} is its record count at the source. */
    void start(String collection, long total);

    /** {@code records} more records were written to the target. */
    void advance(int records);

    /** The collection is done. */
    void finish();

    /** Reports nothing. */
    PortProgress NONE = new PortProgress() {
        @Override
        public void start(String collection, long total) { }

        @Override
        public void advance(int records) { }

        @Override
        public void finish() { }
    };
}
