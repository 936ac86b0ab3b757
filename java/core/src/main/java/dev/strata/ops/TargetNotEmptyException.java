package dev.strata.ops;

/** A restore into a bucket or folder that already holds objects, without {@code force}. */
public final class TargetNotEmptyException extends IllegalStateException {
    public TargetNotEmptyException(String target) {
        super("restore target " + target + " is not empty: restore only into an empty bucket or folder"
                + " (or force it to overwrite what is there)");
    }
}
