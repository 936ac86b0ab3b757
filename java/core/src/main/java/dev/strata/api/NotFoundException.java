package dev.strata.api;

/** A tenant, database or collection does not exist. */
public class NotFoundException extends StrataException {
    public NotFoundException(String message) {
        super(message, null);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.NOT_FOUND;
    }
}
