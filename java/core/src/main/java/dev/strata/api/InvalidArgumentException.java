package dev.strata.api;

/** Bad input: a malformed request, filter, name, record batch or configuration (HTTP 400). */
public class InvalidArgumentException extends StrataException {
    public InvalidArgumentException(String message) {
        super(message, null);
    }

    public InvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String errorName() {
        return "InvalidArgumentError";
    }

    @Override
    public int httpStatus() {
        return 400;
    }
}
