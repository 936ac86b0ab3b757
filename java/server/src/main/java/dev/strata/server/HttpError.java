package dev.strata.server;

/**
 * An error the HTTP layer itself detects (malformed JSON, wrong types, unknown route, body too large,
 * missing token), answered as Chroma does: {"error": name, "message": message} with the status.
 */
public final class HttpError extends RuntimeException {

    private final int status;
    private final String errorName;

    public HttpError(int status, String errorName, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorName = errorName;
    }

    /** 400: the body is not valid JSON, or a value (base64, UUID) cannot be decoded. */
    /** An answer of Chroma's status and name for {@code error}. */
    static HttpError of(ChromaErrors.ChromaError error, String message) {
        return new HttpError(error.status(), error.name(), message);
    }

    public static HttpError badRequest(String message) {
        return new HttpError(400, "InvalidArgumentError", message);
    }

    /** 422: valid JSON of the wrong shape (wrong types, missing or unknown fields), as serde answers in Chroma. */
    public static HttpError unprocessable(String message) {
        return new HttpError(422, "UnprocessableEntityError", message);
    }

    public static HttpError notFound(String message) {
        return new HttpError(404, "NotFoundError", message);
    }

    /** 401: auth is on and the request carries no valid token. */
    public static HttpError unauthenticated(String message) {
        return new HttpError(401, "AuthError", message);
    }

    /** 403: the token does not allow this operation (another tenant, reset disabled). */
    public static HttpError forbidden(String message) {
        return new HttpError(403, "AuthorizationError", message);
    }

    public static HttpError unimplemented(String message) {
        return new HttpError(501, "UnimplementedError", message);
    }

    public int status() {
        return status;
    }

    public String errorName() {
        return errorName;
    }
}
