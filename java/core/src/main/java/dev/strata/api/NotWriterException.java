package dev.strata.api;

/**
 * This node may not write: another node took the bucket's writer lease over (a newer writer epoch fenced this
 * one), or holds it on a store without conditional writes (at open). Nothing of the refused write was logged or
 * acknowledged; reads of what is already here still work. Retryable: on the node that holds the lease.
 * Not an {@link InternalException}: nothing inside Strata failed, this node is simply not the one to write to.
 */
public class NotWriterException extends StrataException {
    public NotWriterException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.UNAVAILABLE;
    }
}
