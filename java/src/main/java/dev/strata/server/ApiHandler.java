package dev.strata.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.strata.api.AuthorizationException;
import dev.strata.api.StrataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request's life: route, authenticate, read the bounded body, call the endpoint, answer JSON.
 * Blocking by design: it runs on a virtual thread per request (see {@link StrataServer}).
 */
final class ApiHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    private static final String JSON = "application/json";
    private static final String BODY_UNREAD = "strata.bodyUnread";

    private final Router router;
    private final TokenAuth auth;
    private final HttpMetrics metrics;
    private final long maxBodyBytes;

    ApiHandler(Router router, TokenAuth auth, HttpMetrics metrics, long maxBodyBytes) {
        this.router = router;
        this.auth = auth;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String method = request.getMethod();
        String path = request.getHttpURI().getDecodedPath();
        String routeLabel = "unmatched";
        HttpAnswer answer;
        try {
            // The body is read before anything can refuse the request: a refused request whose body
            // stayed unread would make Jetty drop the connection under a client about to reuse it.
            byte[] body = readBody(request);
            if (path.equals("/api/v1") || path.startsWith("/api/v1/")) {
                throw new HttpError(410, "GoneError", "The v1 API is gone; use /api/v2 (Chroma clients >= 1.0 do)");
            }
            Router.Match match = router.match(method, path);
            routeLabel = match.route().template();
            TokenAuth.Caller caller = match.route().open() ? TokenAuth.ANYONE : auth.authenticate(request.getHeaders());
            String tenant = match.params().get("tenant");
            if (caller.boundTenant() != null && tenant != null && !caller.boundTenant().equals(tenant)) {
                throw new AuthorizationException("This token is bound to tenant " + caller.boundTenant() + ", not " + tenant);
            }
            checkContentType(request, body);
            answer = match.route().endpoint().handle(new HttpCall(match.params(), query(request), body, caller.boundTenant()));
        } catch (HttpError e) {
            answer = error(e.status(), e.errorName(), e.getMessage());
        } catch (StrataException e) {
            if (e.httpStatus() >= 500) {
                LOG.error("{} {} failed", method, path, e);
            }
            answer = error(e.httpStatus(), e.errorName(), e.getMessage());
        } catch (IllegalArgumentException e) {
            // A lower layer refusing an argument is still bad input, never a server fault.
            LOG.debug("{} {} rejected", method, path, e);
            answer = error(400, "InvalidArgumentError", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, path, e);
            answer = error(500, "InternalError", "Internal error: " + e.getClass().getSimpleName());
        }
        write(request, response, answer, callback);
        metrics.record(KNOWN_METHODS.contains(method) ? method : "OTHER", routeLabel, answer.status(), System.nanoTime() - start);
        return true;
    }

    private static HttpAnswer error(int status, String name, String message) {
        return new HttpAnswer(status, ChromaJson.error(name, message == null ? name : message));
    }

    /** The body, refused with 413 past the limit. */
    private byte[] readBody(Request request) {
        long declared = request.getLength();
        if (declared == 0) {
            return new byte[0];
        }
        try (InputStream in = Request.asInputStream(request)) {
            if (declared > maxBodyBytes) {
                discardRest(request, in);
                throw tooLarge(declared);
            }
            byte[] body = in.readNBytes((int) maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                discardRest(request, in);
                throw tooLarge(-1);
            }
            return body;
        } catch (IOException e) {
            // The client went away or sent a broken chunked body: its request, not the server, failed.
            throw HttpError.badRequest("Could not read the request body: " + e.getMessage());
        }
    }

    /**
     * Reads and drops what is left of a refused body, up to as much again as the limit: a client
     * still sending would otherwise see the connection reset instead of the 413. Past that budget
     * the connection is closed after the answer.
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

    /** A body must be declared JSON (415 otherwise), as Chroma's JSON extractor demands. */
    private static void checkContentType(Request request, byte[] body) {
        if (body.length > 0) {
            String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            String mime = type == null ? null : MimeTypes.getBase(type);
            if (mime == null || !(mime.equalsIgnoreCase(JSON) || mime.toLowerCase().endsWith("+json"))) {
                throw new HttpError(415, "UnsupportedMediaTypeError",
                        "Expected request with `Content-Type: application/json`, got " + (type == null ? "none" : type));
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

    private static void write(Request request, Response response, HttpAnswer answer, Callback callback) {
        byte[] bytes;
        String type;
        if (answer.body() instanceof HttpAnswer.Text text) {
            bytes = text.text().getBytes(StandardCharsets.UTF_8);
            type = text.contentType();
        } else {
            try {
                bytes = JsonBody.MAPPER.writeValueAsBytes(answer.body());
            } catch (JsonProcessingException e) {
                LOG.error("cannot serialize a response", e);
                bytes = "{\"error\":\"InternalError\",\"message\":\"response serialization failed\"}".getBytes(StandardCharsets.UTF_8);
                answer = new HttpAnswer(500, null);
            }
            type = JSON;
        }
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        if (request.getAttribute(BODY_UNREAD) != null) {
            // The rest of the body is not read, so the connection cannot carry another request.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
