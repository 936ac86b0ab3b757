package dev.strata.api;

/** Bad input: a malformed request, filter, name, record batch or configuration. */
public class InvalidArgumentException extends StrataException {
    public InvalidArgumentException(String message) {
        super(message, null);
    }

    public InvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.INVALID_INPUT;
    }
}
