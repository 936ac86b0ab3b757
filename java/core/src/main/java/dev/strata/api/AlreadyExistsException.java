package dev.strata.api;

/** A tenant, database or collection with that name already exists (HTTP 409). */
public class AlreadyExistsException extends StrataException {
    public AlreadyExistsException(String message) {
        super(message, null);
    }

    public AlreadyExistsException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String errorName() {
        return "UniqueConstraintError";
    }

    @Override
    public int httpStatus() {
        return 409;
    }
}
