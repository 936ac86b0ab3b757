package dev.strata.api;

/**
 * The node folder given to {@link Strata#open} is held by another Strata node, in this process or another:
 * one folder (its catalog copy, log and caches) serves one node at a time.
 */
public class FolderInUseException extends StrataException {

    public FolderInUseException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.CONFLICT;
    }
}
