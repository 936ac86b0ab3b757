package dev.strata.api;

/** A tenant, database or collection with that name already exists. */
public class AlreadyExistsException extends StrataException {
    public AlreadyExistsException(String message) {
        super(message, null);
    }

    public AlreadyExistsException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.CONFLICT;
    }
}
