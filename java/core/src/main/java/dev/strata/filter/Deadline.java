package dev.strata.filter;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How long a read may run, and whether it is still wanted: bound for the duration of one read with
 * {@link #call}, and checked cooperatively by every loop whose length depends on the data (filter scans over
 * documents and metadata, the log tail's exact distances, the regex match of one long document through
 * {@link #guard}). A check past the deadline, or after {@link #cancel} (the client went away, the node is
 * stopping), throws {@link ReadAbortedException}; nothing a read does leaves state behind, so it may stop anywhere.
 * Code running outside {@link #call} is never stopped.
 */
public final class Deadline {

    private static final ScopedValue<Deadline> CURRENT = ScopedValue.newInstance();

    /** Documents shorter than this are matched as they are: one match of them is short whatever the pattern. */
    private static final int GUARD_MIN_CHARS = 4096;
    /** A guarded document checks the deadline once per this many characters read by the matcher. */
    private static final int GUARD_STRIDE = 1024;

    private static final Supplier<String> NEVER = () -> null;

    private final long timeoutMs;
    private final long expiresAtNanos;
    private final Supplier<String> cancelledBy;
    private volatile String cancelled;

    private Deadline(long timeoutMs, Supplier<String> cancelledBy) {
        this.timeoutMs = timeoutMs;
        this.expiresAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.cancelledBy = cancelledBy;
    }

    /** A deadline {@code timeoutMs} from now; 0 or less: none (only {@link #cancel} stops the read). */
    public static Deadline after(long timeoutMs) {
        return after(timeoutMs, NEVER);
    }

    /**
     * A deadline {@code timeoutMs} from now that also stops the read once {@code cancelledBy} gives a reason
     * (non-null); it is polled at every check, so it must be cheap (a volatile read).
     */
    public static Deadline after(long timeoutMs, Supplier<String> cancelledBy) {
        return new Deadline(timeoutMs <= 0 ? Long.MAX_VALUE / 4_000_000 : timeoutMs,
                cancelledBy == null ? NEVER : cancelledBy);
    }

    /** Runs {@code read} under this deadline (nested calls: the innermost deadline applies). */
    public <T> T call(Supplier<T> read) {
        return ScopedValue.where(CURRENT, this).call(read::get);
    }

    /** Stops the read at its next check; {@code why} becomes the error's message. */
    public void cancel(String why) {
        cancelled = why;
    }

    public long timeoutMs() {
        return timeoutMs;
    }

    /** Throws when the read running on this thread is past its deadline or cancelled; a no-op outside a read. */
    public static void check() {
        if (CURRENT.isBound()) {
            CURRENT.get().checkNow();
        }
    }

    private void checkNow() {
        String why = cancelled != null ? cancelled : cancelledBy.get();
        if (why != null) {
            throw new ReadAbortedException(ReadAbortedException.Reason.CANCELLED, why);
        }
        if (System.nanoTime() - expiresAtNanos >= 0) {
            throw new ReadAbortedException(ReadAbortedException.Reason.DEADLINE, "the read ran past its deadline of "
                    + timeoutMs + " ms (STRATA_QUERY_TIMEOUT_MS) and was stopped");
        }
    }

    /**
     * The document as the regex matcher should read it: a long document under a deadline is wrapped so that the
     * matcher checks the deadline while it walks it (one match of a large program over megabytes of text is the
     * one step no loop around it can interrupt).
     */
    static CharSequence guard(String document) {
        if (document.length() < GUARD_MIN_CHARS || !CURRENT.isBound()) {
            return document;
        }
        return new Guarded(document, CURRENT.get());
    }

    /** A document that checks a deadline every {@link #GUARD_STRIDE} characters read. */
    private static final class Guarded implements CharSequence {
        private final String text;
        private final Deadline deadline;
        private int reads;

        Guarded(String text, Deadline deadline) {
            this.text = text;
            this.deadline = deadline;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (++reads >= GUARD_STRIDE) {
                reads = 0;
                deadline.checkNow();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
