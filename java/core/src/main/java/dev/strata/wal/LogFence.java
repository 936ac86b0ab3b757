package dev.strata.wal;

/**
 * Writer {@code epoch} took a collection's log over at {@code fromSeq}: every seq from there on is written by
 * that epoch or a later one, so a segment of an older epoch reaching {@code fromSeq} was put by a fenced writer
 * (a zombie that kept running after the takeover) and is ignored.
 */
public record LogFence(long epoch, long fromSeq) {
    public LogFence {
        if (epoch < 1 || fromSeq < 1) {
            throw new IllegalArgumentException("a log fence needs epoch >= 1 and fromSeq >= 1, got " + epoch + ", " + fromSeq);
        }
    }
}
