package dev.strata.api;

/** A tenant, database or collection does not exist (HTTP 404). */
public class NotFoundException extends StrataException {
    public NotFoundException(String message) {
        super(message, null);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String errorName() {
        return "NotFoundError";
    }

    @Override
    public int httpStatus() {
        return 404;
    }
}
