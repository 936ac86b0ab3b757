package dev.strata.catalog;

/**
 * Writer epoch {@code epoch} took a collection's log over at seq {@code fromSeq}: log segments of older epochs
 * that reach {@code fromSeq} were put by a fenced writer after the takeover and do not count. Recorded in the
 * manifest by each new writer, for every collection, before it accepts a write.
 */
public record LogTakeover(long epoch, long fromSeq) {}
