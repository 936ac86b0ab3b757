package dev.strata.segment;

import dev.strata.storage.CorruptObjectException;

/** A log batch payload fails its checksum or format check; carries the object key when the caller knows it. */
public class CorruptLogBatchException extends CorruptObjectException {
    public CorruptLogBatchException(String key, String detail) {
        super(key, "log batch: " + detail);
    }
}
