package dev.strata.wal;

/** A log segment was not uploaded because this node may no longer write the object store (it lost the writer lease). */
public class WalFencedException extends RuntimeException {
    public WalFencedException(String message) {
        super(message);
    }
}
