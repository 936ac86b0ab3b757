package dev.strata.filter;

/** A read stopped by its {@link Deadline}: past the time it was given, or no longer wanted. */
public final class ReadAbortedException extends RuntimeException {

    /** Why the read stopped. */
    public enum Reason { DEADLINE, CANCELLED }

    private final Reason reason;

    public ReadAbortedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
