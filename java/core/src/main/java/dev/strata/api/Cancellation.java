package dev.strata.api;

import java.util.function.Supplier;

/**
 * Lets whoever runs a call stop the reads it makes: the server cancels a request's reads when its client
 * disconnects or the node stops. Reads started inside {@link #run} check it cooperatively (with their deadline,
 * {@code STRATA_QUERY_TIMEOUT_MS}) and fail with {@link ReadCancelledException} once it is cancelled. A write
 * waiting for compaction to make room in a full tail ({@code STRATA_MAX_TAIL_RECORDS}) stops waiting too, and
 * fails with {@link WriteStalledException}; nothing of it is written.
 */
public final class Cancellation {

    private static final ScopedValue<Cancellation> CURRENT = ScopedValue.newInstance();

    private volatile String reason;

    /** Runs {@code call} so that the reads it makes stop once this is cancelled. */
    public <T> T run(Supplier<T> call) {
        return ScopedValue.where(CURRENT, this).call(call::get);
    }

    /** Stops the reads running under this at their next check; {@code why} becomes their error's message. */
    public void cancel(String why) {
        reason = why == null ? "cancelled" : why;
    }

    /** Why it was cancelled, or null while it is not. */
    public String reason() {
        return reason;
    }

    /** The cancellation the current call runs under, or null. */
    public static Cancellation current() {
        return CURRENT.isBound() ? CURRENT.get() : null;
    }
}
