package dev.strata.server;

import dev.strata.api.StrataException;

/** The credentials do not allow this operation (HTTP 403). Raised by the server's routes only. */
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
