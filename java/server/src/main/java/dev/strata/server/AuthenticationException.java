package dev.strata.server;

import dev.strata.api.StrataException;

/** The request carries no valid credentials (HTTP 401). Raised by the server's token auth only. */
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
