package dev.strata.server;

import dev.strata.api.AlreadyExistsException;
import dev.strata.api.DeadlineExceededException;
import dev.strata.api.FolderInUseException;
import dev.strata.api.NotWriterException;
import dev.strata.api.ReadCancelledException;
import dev.strata.api.ReadOnlyException;
import dev.strata.api.StrataException;
import dev.strata.api.WriteStalledException;

/**
 * How an engine error travels over Chroma's HTTP API: the status and the {@code "error"} name Chroma's clients
 * read. The engine says only what kind of error it is ({@link dev.strata.api.ErrorKind}); the few errors whose
 * name or status Chroma's clients tell apart (a rate limit, a timeout, a duplicate) are named here, the rest go
 * by kind. This is the only place an engine error meets HTTP.
 */
final class ChromaErrors {

    /** A status and Chroma's name for it. */
    record ChromaError(int status, String name) {}

    /** Too much in flight: Chroma's clients back off and retry on 429. */
    static final ChromaError RATE_LIMITED = new ChromaError(429, "RateLimitError");
    static final ChromaError TIMED_OUT = new ChromaError(408, "RequestTimeoutError");
    static final ChromaError UNAVAILABLE = new ChromaError(503, "ServiceUnavailableError");

    private ChromaErrors() {}

    static ChromaError of(StrataException e) {
        return switch (e) {
            case WriteStalledException w -> RATE_LIMITED;
            case DeadlineExceededException d -> TIMED_OUT;
            case AlreadyExistsException a -> new ChromaError(409, "UniqueConstraintError");
            case FolderInUseException f -> new ChromaError(409, "FolderInUseError");
            case ReadOnlyException r -> new ChromaError(403, "ReadOnlyError");
            case NotWriterException n -> new ChromaError(503, "NotWriterError");
            case ReadCancelledException c -> UNAVAILABLE;
            default -> switch (e.kind()) {
                case INVALID_INPUT -> new ChromaError(400, "InvalidArgumentError");
                case NOT_FOUND -> new ChromaError(404, "NotFoundError");
                case CONFLICT -> new ChromaError(409, "ConflictError");
                case UNAVAILABLE -> UNAVAILABLE;
                case REFUSED -> new ChromaError(403, "ForbiddenError");
                case TIMED_OUT -> TIMED_OUT;
                case UNSUPPORTED -> new ChromaError(501, "UnimplementedError");
                case INTERNAL -> new ChromaError(500, "InternalError");
            };
        };
    }
}
