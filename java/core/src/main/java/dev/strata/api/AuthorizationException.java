package dev.strata.api;

/** The credentials do not allow this operation (HTTP 403). */
public class AuthorizationException extends StrataException {
    public AuthorizationException(String message) {
        super(message, null);
    }

    public AuthorizationException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String errorName() {
        return "AuthorizationError";
    }

    @Override
    public int httpStatus() {
        return 403;
    }
}
