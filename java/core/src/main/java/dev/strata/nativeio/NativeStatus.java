package dev.strata.nativeio;

/** The status codes of strata.h (STRATA_OK, STRATA_ERR_*). */
public enum NativeStatus {
    OK(0),
    INVALID_ARGUMENT(1),
    NOT_FOUND(2),
    CLOSED(3),
    IO(4),
    CORRUPT(5),
    OUT_OF_MEMORY(6),
    UNSUPPORTED(7),
    INTERNAL(8),
    UNKNOWN(-1);

    private final int code;

    NativeStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static NativeStatus of(int code) {
        for (NativeStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
