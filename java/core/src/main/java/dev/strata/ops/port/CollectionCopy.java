package dev.strata.ops.port;

/**
 * What copying one collection did.
 *
 * @param recordsRead   records read from the source
 * @param targetBefore  records the target collection held before the copy
 * @param targetAfter   records it holds after; records already there (same id) were left as they were
 */
public record CollectionCopy(String name, long recordsRead, long targetBefore, long targetAfter) {

    /** Records the copy added to the target. */
    public long added() {
        return targetAfter - targetBefore;
    }

    /** Records read whose id the target already held (not overwritten: add ignores existing ids). */
    public long skipped() {
        return recordsRead - added();
    }

    public String describe() {
        return name + ": " + recordsRead + " records read, " + added() + " added, " + skipped()
                + " already present (skipped), " + targetAfter + " in the target";
    }
}
