package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.AlreadyExistsException;
import dev.strata.api.DeadlineExceededException;
import dev.strata.api.ErrorKind;
import dev.strata.api.FolderInUseException;
import dev.strata.api.InternalException;
import dev.strata.api.InvalidArgumentException;
import dev.strata.api.NotFoundException;
import dev.strata.api.NotWriterException;
import dev.strata.api.ReadCancelledException;
import dev.strata.api.ReadOnlyException;
import dev.strata.api.StrataException;
import dev.strata.api.UnimplementedException;
import dev.strata.api.WriteStalledException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every engine error reaches an HTTP client with the status and Chroma error name its clients expect. */
class ChromaErrorsTest {

    static Stream<Arguments> engineErrors() {
        return Stream.of(
                Arguments.of(new InvalidArgumentException("bad"), 400, "InvalidArgumentError"),
                Arguments.of(new NotFoundException("gone"), 404, "NotFoundError"),
                Arguments.of(new AlreadyExistsException("dup"), 409, "UniqueConstraintError"),
                Arguments.of(new FolderInUseException("held", null), 409, "FolderInUseError"),
                Arguments.of(new WriteStalledException("slow down"), 429, "RateLimitError"),
                Arguments.of(new DeadlineExceededException("too long", null), 408, "RequestTimeoutError"),
                Arguments.of(new ReadOnlyException("read-only"), 403, "ReadOnlyError"),
                Arguments.of(new NotWriterException("fenced", null), 503, "NotWriterError"),
                Arguments.of(new ReadCancelledException("stopping", null), 503, "ServiceUnavailableError"),
                Arguments.of(new UnimplementedException("no"), 501, "UnimplementedError"),
                Arguments.of(new InternalException("broken"), 500, "InternalError"));
    }

    @ParameterizedTest
    @MethodSource("engineErrors")
    void eachEngineErrorHasItsChromaStatusAndName(StrataException e, int status, String name) {
        assertThat(ChromaErrors.of(e)).isEqualTo(new ChromaErrors.ChromaError(status, name));
        HttpAnswer answer = ApiHandler.failure("POST", "/api/v2/x", e);
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.body()).isEqualTo(Map.of("error", name, "message", e.getMessage()));
    }

    /** A new engine error, not named by the server, still gets the status its kind implies. */
    @ParameterizedTest
    @EnumSource(ErrorKind.class)
    void anErrorTheServerDoesNotNameGoesByItsKind(ErrorKind kind) {
        StrataException unnamed = new StrataException("a new error", null) {
            @Override
            public ErrorKind kind() {
                return kind;
            }
        };
        int status = ChromaErrors.of(unnamed).status();
        assertThat(status >= 500).as("a server-side status").isEqualTo(kind == ErrorKind.INTERNAL
                || kind == ErrorKind.UNAVAILABLE || kind == ErrorKind.UNSUPPORTED);
        if (kind.retryable()) {
            assertThat(status).isIn(429, 503);
        }
    }
}
