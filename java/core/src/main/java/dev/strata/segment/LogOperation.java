package dev.strata.segment;

/** The four record operations a log batch carries. The code is the byte stored by {@link LogBatchCodec}. */
public enum LogOperation {
    ADD(1),
    UPSERT(2),
    UPDATE(3),
    DELETE(4);

    private final int code;

    LogOperation(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The operation with this stored code, or null when the code is unknown (a corrupt payload). */
    static LogOperation fromCode(int code) {
        for (LogOperation op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        return null;
    }
}
