package dev.strata.api;

/** The request carries no valid credentials (HTTP 401). */
public class AuthenticationException extends StrataException {
    public AuthenticationException(String message) {
        super(message, null);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String errorName() {
        return "AuthError";
    }

    @Override
    public int httpStatus() {
        return 401;
    }
}
