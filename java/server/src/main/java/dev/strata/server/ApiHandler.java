package dev.strata.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.strata.api.Cancellation;
import dev.strata.api.ErrorKind;
import dev.strata.api.ReadCancelledException;
import dev.strata.api.StrataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request's life: route, authenticate, read the bounded body, call the endpoint, answer JSON.
 *
 * <p>Threads: Jetty calls this on one of its platform threads. Open routes (heartbeat, version, health) are cheap
 * and answered right there, so they answer even while every virtual thread's carrier is busy. A read (get, query,
 * count) with a declared body length has its body read as it arrives, with no thread waiting, and is then handed
 * straight to the {@link ReadWorkers} (CPU-bound scans must not hold a carrier), which write its answer: one thread
 * hand-over per read. Every other request moves to its own virtual thread (it blocks: a chunked body, log fsync,
 * object store); a read among them moves on to the workers once its body is read. Reads run under a
 * {@link Cancellation} that fires when the client closes its connection (seen by the {@link DisconnectWatch}) or
 * the node stops.
 *
 * <p>Order of refusals: route (404/405), token (401/403) and a declared length over the limit (413) are
 * decided from the headers, before any body byte is read (so no 100 Continue is sent and an unauthenticated
 * 40 MB post is never buffered); then the body is read with a short idle timeout, so a body that stops before
 * its Content-Length gets 400 within seconds; then its type (415) and the endpoint.
 */
final class ApiHandler extends Handler.Abstract.NonBlocking {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    private static final String JSON = "application/json";
    private static final String BODY_UNREAD = "strata.bodyUnread";
    private static final String BODY_READ = "strata.bodyRead";
    /** A request body that sends nothing for this long is given up with 400 (the connection's idle timeout is 30 s). */
    static final long BODY_IDLE_TIMEOUT_MS = 3_000;

    private final Router router;
    private final TokenAuth auth;
    private final HttpMetrics metrics;
    private final io.micrometer.core.instrument.Timer queryWrite;
    private final long maxBodyBytes;
    private final Executor blocking;
    private final ReadWorkers reads;
    private final long readWaitMs;
    private final DisconnectWatch disconnects;
    /** Cancelled when the node begins to stop: a write waiting for room in a full tail is refused at once. */
    private final Cancellation stopping = new Cancellation();

    ApiHandler(Router router, TokenAuth auth, HttpMetrics metrics, long maxBodyBytes, Executor blocking,
            ReadWorkers reads, long readWaitMs, DisconnectWatch disconnects) {
        this.router = router;
        this.auth = auth;
        this.metrics = metrics;
        this.queryWrite = metrics.queryStage("write");
        this.maxBodyBytes = maxBodyBytes;
        this.blocking = blocking;
        this.reads = reads;
        this.readWaitMs = readWaitMs;
        this.disconnects = disconnects;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String method = request.getMethod();
        String path = request.getHttpURI().getDecodedPath();
        Router.Match match;
        try {
            if (path.equals("/api/v1") || path.startsWith("/api/v1/")) {
                throw new HttpError(410, "GoneError", "The v1 API is gone; use /api/v2 (Chroma clients >= 1.0 do)");
            }
            String raw = request.getHttpURI().getPath();
            int semicolon = raw == null ? -1 : raw.indexOf(';');
            if (semicolon >= 0) {
                // The decoded path has each segment's ";..." cut off: "/tenants/t;rm" would quietly address tenant "t".
                int end = raw.indexOf('/', semicolon);
                throw HttpError.badRequest("Path parameters ('" + raw.substring(semicolon, end < 0 ? raw.length() : end)
                        + "') are not supported: a name holds no ';' (encode it as %3B to look one up)");
            }
            match = router.match(method, path);
        } catch (HttpError e) {
            HttpAnswer refused = error(e.status(), e.errorName(), e.getMessage());
            if (declaresBody(request)) {
                blocking.execute(() -> {
                    drainRefused(request);
                    finish(request, response, callback, refused, method, "unmatched", start);
                });
            } else {
                finish(request, response, callback, refused, method, "unmatched", start);
            }
            return true;
        }
        if (match.route().open()) {
            // Open routes do not block (no body, no I/O): answered on this thread.
            HttpAnswer answer = call(method, path, () -> match.route().endpoint().handle(
                    new HttpCall(match.params(), Map.of(), new byte[0], null)));
            finish(request, response, callback, answer, method, match.route().template(), start);
            return true;
        }
        if (match.route().read() && bodyCanArriveWithoutAThread(request)) {
            TokenAuth.Caller caller = authorizedOrNull(request, match);
            if (caller != null) {
                readBodyThenStart(request, response, callback, match, caller, method, path, start);
                return true;
            }
            // refused: answered on the blocking path below, which drains the body the client may still send
        }
        blocking.execute(() -> {
            HttpAnswer answer;
            try {
                TokenAuth.Caller caller = authorize(request, match);
                byte[] body = readBody(request);
                checkContentType(request, body);
                HttpCall call = new HttpCall(match.params(), query(request), body, caller.boundTenant());
                if (match.route().read()) {
                    startRead(request, response, callback, match, call, method, path, start);
                    return;
                }
                answer = call(method, path, () -> stopping.run(() -> match.route().endpoint().handle(call)));
            } catch (Throwable t) {
                answer = failure(method, path, t);
            }
            if (answer.status() >= 400 && declaresBody(request) && request.getAttribute(BODY_READ) == null) {
                drainRefused(request);
            }
            finish(request, response, callback, answer, method, match.route().template(), start);
        });
        return true;
    }

    /** The caller of a request, checked against the tenant in its path; 401 or 403 otherwise. */
    private TokenAuth.Caller authorize(Request request, Router.Match match) {
        TokenAuth.Caller caller = auth.authenticate(request.getHeaders());
        String tenant = match.params().get("tenant");
        if (caller.boundTenant() != null && tenant != null && !caller.boundTenant().equals(tenant)) {
            throw HttpError.forbidden("This token is bound to tenant " + caller.boundTenant() + ", not " + tenant);
        }
        return caller;
    }

    private TokenAuth.Caller authorizedOrNull(Request request, Router.Match match) {
        try {
            return authorize(request, match);
        } catch (HttpError e) {
            return null;
        }
    }

    /**
     * Whether the body can be read without a thread waiting for it: none, or a declared length within the limit
     * (every official client sends one). A chunked body, whose size is only known once read, takes the blocking path.
     */
    private boolean bodyCanArriveWithoutAThread(Request request) {
        long declared = request.getLength();
        return !declaresBody(request) || (declared > 0 && declared <= maxBodyBytes);
    }

    /**
     * Reads a read's body as it arrives, with no thread waiting (most often it is already here and this completes at
     * once, on this thread), then starts the read. A body that stops arriving for {@link #BODY_IDLE_TIMEOUT_MS} is
     * answered 400, as on the blocking path.
     */
    private void readBodyThenStart(Request request, Response response, Callback callback, Router.Match match,
            TokenAuth.Caller caller, String method, String path, long start) {
        if (!declaresBody(request)) {
            startRead(request, response, callback, match, new HttpCall(match.params(), query(request), new byte[0],
                    caller.boundTenant()), method, path, start);
            return;
        }
        long declared = request.getLength();
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        long idleTimeout = endPoint.getIdleTimeout();
        endPoint.setIdleTimeout(BODY_IDLE_TIMEOUT_MS);
        Content.Source.asByteArrayAsync(request, (int) declared).whenComplete((body, failed) -> {
            endPoint.setIdleTimeout(idleTimeout);
            HttpAnswer refused;
            try {
                if (failed != null) {
                    throw bodyNotRead(failed, declared);
                }
                request.setAttribute(BODY_READ, Boolean.TRUE);
                checkContentType(request, body);
                startRead(request, response, callback, match, new HttpCall(match.params(), query(request), body,
                        caller.boundTenant()), method, path, start);
                return;
            } catch (Throwable t) {
                refused = failure(method, path, t);
            }
            finish(request, response, callback, refused, method, match.route().template(), start);
        });
    }

    /**
     * Hands a read to the {@link ReadWorkers} under a {@link Cancellation} that fires when the client closes its
     * connection (seen by Jetty or by the {@link DisconnectWatch}) or the node stops; the worker, or the 408 / 429
     * that replaces its answer, writes the answer. Returns at once.
     */
    private void startRead(Request request, Response response, Callback callback, Router.Match match, HttpCall call,
            String method, String path, long start) {
        Cancellation cancellation = new Cancellation();
        // The connection's idle timeout (30 s, Jetty's default) is no failure while a read runs: the read has its
        // own deadline (408 with the reason), and a client that leaves is seen by the watch below.
        request.addIdleTimeoutListener(timeout -> false);
        // Jetty's failure listener and the disconnect watch may both see the client leave, in either order: the
        // first counts it, before cancelling, so the metric is there by the time the worker is free again.
        AtomicBoolean left = new AtomicBoolean();
        request.addFailureListener(failure -> clientLeft(left, cancellation, "the client went away (" + failure + ")"));
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        DisconnectWatch.Handle watch = disconnects.watch(endPoint,
                () -> clientLeft(left, cancellation, "the client closed its connection"));
        reads.start(() -> match.route().endpoint().handle(call), cancellation, readWaitMs, t -> failure(method, path, t),
                answer -> {
                    watch.close();
                    finish(request, response, callback, answer, method, match.route().template(), start);
                });
    }

    private void clientLeft(AtomicBoolean left, Cancellation cancellation, String why) {
        if (left.compareAndSet(false, true)) {
            metrics.readCancelled(HttpMetrics.CLIENT_CLOSED);
            cancellation.cancel(why);
        }
    }

    /** The node is stopping: writes still waiting for compaction to make room are refused (nothing is written). */
    void stopping() {
        stopping.cancel("the node is stopping");
    }

    /** Runs an endpoint; whatever it throws, errors included, becomes this request's JSON error. */
    private static HttpAnswer call(String method, String path, java.util.function.Supplier<HttpAnswer> endpoint) {
        try {
            return endpoint.get();
        } catch (Throwable t) {
            return failure(method, path, t);
        }
    }

    static HttpAnswer failure(String method, String path, Throwable t) {
        return switch (t) {
            case HttpError e -> error(e.status(), e.errorName(), e.getMessage());
            // Its client left or the node is stopping: nobody's fault, and nobody may read the answer.
            case ReadCancelledException e -> {
                LOG.debug("{} {} cancelled: {}", method, path, e.getMessage());
                yield engineError(e);
            }
            case StrataException e -> {
                if (e.kind() == ErrorKind.INTERNAL) {
                    LOG.error("{} {} failed", method, path, e);
                }
                yield engineError(e);
            }
            // A lower layer refusing an argument is still bad input, never a server fault.
            case IllegalArgumentException e -> {
                LOG.debug("{} {} rejected", method, path, e);
                yield error(400, "InvalidArgumentError", e.getMessage());
            }
            case StackOverflowError e -> {
                LOG.warn("{} {} overflowed its stack; answered 400", method, path);
                yield error(400, "InvalidArgumentError", "The request nests or recurses too deeply to be processed"
                        + " (StackOverflowError); nothing was changed");
            }
            case OutOfMemoryError e -> {
                LOG.warn("{} {} ran out of memory ({}); answered 503", method, path, e.getMessage());
                yield error(503, "ServiceUnavailableError", "Not enough memory to answer this request (OutOfMemoryError: "
                        + e.getMessage() + "); the node goes on serving: retry with a smaller request");
            }
            default -> {
                LOG.error("{} {} failed", method, path, t);
                yield error(500, "InternalError", "Internal error: " + t.getClass().getSimpleName()
                        + (t.getMessage() == null ? "" : ": " + t.getMessage()));
            }
        };
    }

    /** An engine error with the status and Chroma error name its clients expect. */
    private static HttpAnswer engineError(StrataException e) {
        ChromaErrors.ChromaError as = ChromaErrors.of(e);
        return error(as.status(), as.name(), e.getMessage());
    }

    private static HttpAnswer error(int status, String name, String message) {
        return new HttpAnswer(status, ChromaJson.error(name, message == null ? name : message));
    }

    /**
     * The body, refused with 413 past the limit: from Content-Length before anything is read, or while reading
     * a chunked body. A body that stalls for {@link #BODY_IDLE_TIMEOUT_MS} (shorter than its Content-Length) is 400.
     */
    private byte[] readBody(Request request) {
        long declared = request.getLength();
        if (!declaresBody(request)) {
            return new byte[0];
        }
        if (declared > maxBodyBytes) {
            throw tooLarge(declared);
        }
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        long idleTimeout = endPoint.getIdleTimeout();
        endPoint.setIdleTimeout(BODY_IDLE_TIMEOUT_MS);
        try (InputStream in = Request.asInputStream(request)) {
            byte[] body = in.readNBytes((int) maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                discardRest(request, in);
                throw tooLarge(-1);
            }
            request.setAttribute(BODY_READ, Boolean.TRUE);
            return body;
        } catch (IOException e) {
            throw bodyNotRead(e, declared);
        } finally {
            endPoint.setIdleTimeout(idleTimeout);
        }
    }

    /** 400 for a body that stopped arriving or could not be read: its request, not the server, failed. */
    private static HttpError bodyNotRead(Throwable failure, long declared) {
        if (causedByTimeout(failure)) {
            return HttpError.badRequest("The request body stopped arriving for " + BODY_IDLE_TIMEOUT_MS + " ms"
                    + (declared > 0 ? " before its Content-Length of " + declared + " bytes" : "") + "; it is incomplete");
        }
        // The client went away or sent a broken chunked body.
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return HttpError.badRequest("Could not read the request body: " + cause.getMessage());
    }

    private static boolean causedByTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException || c instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads and drops what is left of a refused chunked body, up to as much again as the limit: a client still
     * sending would otherwise see the connection reset instead of the 413. Past that budget the connection is
     * closed after the answer. Nothing is kept.
     */
    private void discardRest(Request request, InputStream in) throws IOException {
        long budget = maxBodyBytes;
        byte[] sink = new byte[64 * 1024];
        int n;
        while (budget > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, budget))) >= 0) {
            budget -= n;
        }
        if (budget <= 0 && in.read() >= 0) {
            request.setAttribute(BODY_UNREAD, Boolean.TRUE);
        }
    }

    /**
     * A request refused from its headers (401, 413, 404, ...) whose client is sending the body anyway (it did not
     * ask {@code Expect: 100-continue}): the body is read and dropped, up to the body limit, so that the client
     * reads the answer instead of a connection reset; nothing is kept. Past the limit, or with Expect, nothing is
     * read and the connection is closed after the answer.
     */
    private void drainRefused(Request request) {
        request.setAttribute(BODY_UNREAD, Boolean.TRUE);
        String expect = request.getHeaders().get(HttpHeader.EXPECT);
        if (expect != null && expect.toLowerCase(java.util.Locale.ROOT).contains("100-continue")) {
            return;
        }
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        long idleTimeout = endPoint.getIdleTimeout();
        endPoint.setIdleTimeout(BODY_IDLE_TIMEOUT_MS);
        try (InputStream in = Request.asInputStream(request)) {
            long budget = maxBodyBytes;
            byte[] sink = new byte[64 * 1024];
            int n;
            while (budget > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, budget))) >= 0) {
                budget -= n;
            }
            if (budget > 0) {
                request.setAttribute(BODY_UNREAD, null); // all of it was read: the connection may carry on
                request.setAttribute(BODY_READ, Boolean.TRUE);
            }
        } catch (IOException | RuntimeException e) {
            // The client stopped or went away: the answer is written anyway, on a closing connection.
        } finally {
            endPoint.setIdleTimeout(idleTimeout);
        }
    }

    /**
     * A body must be declared JSON (415 otherwise), as Chroma's JSON extractor demands, in UTF-8 (the only charset
     * it is read in) and not compressed (it is not decoded: a gzip body would otherwise be called malformed JSON).
     */
    private static void checkContentType(Request request, byte[] body) {
        if (body.length > 0) {
            String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            String mime = type == null ? null : MimeTypes.getBase(type);
            if (mime == null || !(mime.equalsIgnoreCase(JSON) || mime.toLowerCase().endsWith("+json"))) {
                throw new HttpError(415, "UnsupportedMediaTypeError",
                        "Expected request with `Content-Type: application/json`, got " + (type == null ? "none" : type));
            }
            String charset = MimeTypes.getCharsetFromContentType(type);
            if (charset != null && !charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                throw new HttpError(415, "UnsupportedMediaTypeError",
                        "Expected a JSON body in UTF-8, got charset " + charset);
            }
            String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
            if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
                throw new HttpError(415, "UnsupportedMediaTypeError",
                        "Expected an uncompressed body, got Content-Encoding: " + encoding);
            }
            String text = Utf8Check.problem(body);
            if (text != null) {
                throw HttpError.badRequest(text);
            }
        }
    }

    private HttpError tooLarge(long declared) {
        return new HttpError(413, "PayloadTooLargeError", "Request body " + (declared >= 0 ? "of " + declared + " bytes " : "")
                + "exceeds the limit of " + maxBodyBytes + " bytes (setting max_body_bytes); send smaller batches");
    }

    private static Map<String, String> query(Request request) {
        Fields fields = Request.extractQueryParameters(request);
        Map<String, String> out = new HashMap<>();
        fields.forEach(f -> out.put(f.getName(), f.getValue()));
        return out;
    }

    private void finish(Request request, Response response, Callback callback, HttpAnswer answer, String method,
            String route, long start) {
        // The request is counted once its answer is serialized and before it is sent: a client that reads /metrics
        // right after its answer arrived sees it counted.
        boolean[] counted = {false};
        Runnable countRequest = () -> {
            metrics.record(KNOWN_METHODS.contains(method) ? method : "OTHER", route, answer.status(), System.nanoTime() - start);
            counted[0] = true;
        };
        try {
            write(request, response, answer, callback, serialize -> {
                if (route.endsWith("/query")) {
                    queryWrite.record(serialize, java.util.concurrent.TimeUnit.NANOSECONDS);
                }
                countRequest.run();
            });
        } catch (Throwable t) {
            LOG.warn("{} {}: the answer could not be written: {}", method, route, t.toString());
            callback.failed(t);
            if (!counted[0]) {
                countRequest.run();
            }
        }
    }

    /** Writes the answer, telling {@code beforeSend} the nanoseconds spent serializing its body just before sending. */
    private static void write(Request request, Response response, HttpAnswer answer, Callback callback,
            java.util.function.LongConsumer beforeSend) {
        byte[] bytes;
        String type;
        long start = System.nanoTime();
        if (answer.body() instanceof HttpAnswer.Text text) {
            bytes = text.text().getBytes(StandardCharsets.UTF_8);
            type = text.contentType();
        } else {
            try {
                bytes = JsonBody.MAPPER.writeValueAsBytes(answer.body());
            } catch (OutOfMemoryError e) {
                // As for a request that runs out of memory before its answer: 503, and the node goes on serving.
                LOG.warn("the answer to {} {} ran out of memory while written ({}); answered 503", request.getMethod(),
                        request.getHttpURI().getPath(), e.getMessage());
                bytes = ("{\"error\":\"ServiceUnavailableError\",\"message\":\"Not enough memory to write this answer"
                        + " (OutOfMemoryError); the node goes on serving: retry with a smaller request\"}")
                        .getBytes(StandardCharsets.UTF_8);
                answer = new HttpAnswer(503, null);
            } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
                LOG.error("cannot serialize a response", e);
                bytes = "{\"error\":\"InternalError\",\"message\":\"response serialization failed\"}".getBytes(StandardCharsets.UTF_8);
                answer = new HttpAnswer(500, null);
            }
            type = JSON;
        }
        long serialized = System.nanoTime() - start;
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        if (request.getAttribute(BODY_UNREAD) != null || (declaresBody(request) && request.getAttribute(BODY_READ) == null)) {
            // The rest of the body is not read, so the connection cannot carry another request.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        beforeSend.accept(serialized);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** Whether the request comes with a body (a Content-Length above 0, or a chunked one). */
    private static boolean declaresBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }
}
