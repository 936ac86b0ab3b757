package dev.strata.nativeio;

/** A libstrata call failed; carries the status code and the library's message for that call. */
public class NativeException extends RuntimeException {
    private final NativeStatus status;

    public NativeException(NativeStatus status, String message) {
        super(message + " [" + status + "]");
        this.status = status;
    }

    public NativeStatus status() {
        return status;
    }

    /**
     * Throws for a non-zero status. Must run on the thread that made the failing call, with no
     * blocking in between: the message is thread-local in the library.
     */
    static void check(int code) {
        if (code != StrataNative.STRATA_OK) {
            throw new NativeException(NativeStatus.of(code), StrataNative.lastError());
        }
    }
}
