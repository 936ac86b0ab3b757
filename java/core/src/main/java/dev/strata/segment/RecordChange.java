package dev.strata.segment;

/**
 * The net effect of a run of log batches on one id, relative to the records it started from. The
 * previous record is carried so that indexes can remove what the old version had put in them.
 */
public sealed interface RecordChange {

    String id();

    /** The id did not exist and now does. */
    record Insert(Record record) implements RecordChange {
        @Override
        public String id() {
            return record.id();
        }
    }

    /** The id existed and now holds a new version, in place (a delete and re-add is Delete + Insert). */
    record Replace(Record previous, Record record) implements RecordChange {
        @Override
        public String id() {
            return record.id();
        }
    }

    /** The id existed and is now gone. */
    record Delete(Record previous) implements RecordChange {
        @Override
        public String id() {
            return previous.id();
        }
    }
}
