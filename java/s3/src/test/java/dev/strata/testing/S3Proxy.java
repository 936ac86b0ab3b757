package dev.strata.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.strata.storage.S3Encryption;
import dev.strata.storage.S3Options;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of S3Mock that sees each request a client sends as S3 sees it, on the wire: after the SDK
 * has signed it, added its checksum and its encryption headers. It
 * <ul>
 *   <li>records every request ({@link #calls()}) with the {@link S3Operation} it is and its headers;</li>
 *   <li>plays IAM when given a policy ({@link #allowOnly}): a request needing an action the policy does not
 *       allow is answered {@code 403 AccessDenied}, as S3 would, never forwarded, and listed in
 *       {@link #refused()};</li>
 *   <li>corrupts bodies in transit on demand: one byte of a marker flipped in a request body (after the client
 *       computed its checksum) or in a response body (after the store computed its own).</li>
 * </ul>
 * Clients reach it by pointing their endpoint at {@link #endpoint()} (path-style), in this JVM or in a child.
 */
public final class S3Proxy implements AutoCloseable {

    private static final Set<String> HOP_HEADERS =
            Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding", "date");

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<S3Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger corruptedRequests = new AtomicInteger();
    private final AtomicInteger corruptedResponses = new AtomicInteger();
    private volatile Set<String> allowedActions; // null: every request goes through
    private volatile byte[] requestMarker;
    private volatile byte[] responseMarker;
    /** How many more responses holding {@link #responseMarker} may be corrupted. */
    private final AtomicInteger responseCorruptionsLeft = new AtomicInteger();

    private S3Proxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A proxy in front of the shared S3Mock. */
    public static S3Proxy inFrontOfS3Mock() {
        try {
            return new S3Proxy(S3MockServer.shared().endpoint());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the S3 proxy", e);
        }
    }

    /** {@code http://127.0.0.1:port}: use it as the S3 endpoint, with path-style addressing. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** {@code bucket}'s options with this proxy as the endpoint. */
    public S3Options route(S3Options bucket) {
        return bucket.toBuilder().endpoint(endpoint()).pathStyle(true).build();
    }

    /** From now on only requests whose IAM actions are all in {@code iamActions} go through. */
    public S3Proxy allowOnly(String... iamActions) {
        allowedActions = Set.of(iamActions);
        return this;
    }

    /** Flips one byte of {@code marker} in every request body holding it, before forwarding; null stops. */
    public void corruptRequestsHolding(byte[] marker) {
        requestMarker = marker;
    }

    /** Flips one byte of {@code marker} in every response body holding it, before replying; null stops. */
    public void corruptResponsesHolding(byte[] marker) {
        corruptResponsesHolding(marker, Integer.MAX_VALUE);
    }

    /** As {@link #corruptResponsesHolding(byte[])}, for the next {@code times} such responses only. */
    public void corruptResponsesHolding(byte[] marker, int times) {
        responseCorruptionsLeft.set(times);
        responseMarker = marker;
    }

    public int corruptedRequests() {
        return corruptedRequests.get();
    }

    public int corruptedResponses() {
        return corruptedResponses.get();
    }

    /** Every request so far, in the order they were answered. */
    public List<S3Call> calls() {
        return List.copyOf(calls);
    }

    /** The requests the policy refused. */
    public List<S3Call> refused() {
        return calls.stream().filter(S3Call::refused).toList();
    }

    /** The requests that wrote object content and were answered 2xx. */
    public List<S3Call> successfulWrites() {
        return calls.stream().filter(c -> c.writes() && c.status() / 100 == 2).toList();
    }

    /**
     * The successful uploads since call number {@code from} that are not as Strata must send them (see
     * {@link S3Call#uploadProblem}); empty when every one is.
     */
    public List<String> uploadProblems(int from, S3Encryption expected) {
        List<S3Call> all = calls();
        return all.subList(from, all.size()).stream()
                .filter(c -> c.writes() && c.status() / 100 == 2)
                .map(c -> c.uploadProblem(expected))
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try {
                body = ex.getRequestBody().readAllBytes();
            } catch (IOException clientGone) {
                return; // a client killed mid-request: S3 would drop the request too
            }
            Map<String, String> headers = firstValues(ex.getRequestHeaders());
            String path = ex.getRequestURI().getPath();
            S3Operation operation = S3Operation.of(ex.getRequestMethod(), path, query(ex.getRequestURI()), headers);
            Set<String> policy = allowedActions;
            if (policy != null && !operation.allowedBy(policy)) {
                calls.add(new S3Call(operation, ex.getRequestMethod(), path, headers, 403, Map.of(), true));
                String needs = operation.iamActions().isEmpty() ? "an action no policy here names"
                        : String.join(", ", operation.iamActions());
                reply(ex, 403, Map.of(), ("<Error><Code>AccessDenied</Code><Message>not authorized to perform: "
                        + needs + " (" + operation + ")</Message></Error>").getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (flip(body, requestMarker)) {
                corruptedRequests.incrementAndGet();
            }
            HttpResponse<byte[]> r = forward(ex, body);
            byte[] answer = r.body();
            byte[] marker = responseMarker;
            int at = ex.getRequestMethod().equals("HEAD") ? -1 : indexOf(answer, marker);
            if (at >= 0 && responseCorruptionsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                flipAt(answer, at, marker);
                corruptedResponses.incrementAndGet();
            }
            calls.add(new S3Call(operation, ex.getRequestMethod(), path, headers, r.statusCode(),
                    firstValues(r.headers().map()), false));
            reply(ex, r.statusCode(), r.headers().map(), ex.getRequestMethod().equals("HEAD") ? null : answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange ex, byte[] body) throws IOException, InterruptedException {
        URI target = URI.create(upstream + ex.getRequestURI().toString());
        HttpRequest.Builder forward = HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(2))
                .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        ex.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> forward.header(name, v));
            }
        });
        return http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void reply(HttpExchange ex, int status, Map<String, List<String>> headers, byte[] body)
            throws IOException {
        headers.forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                ex.getResponseHeaders().put(name, values);
            }
        });
        if (body == null) {
            // HEAD: the size of the object is in the store's Content-Length, which the client reads
            headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("content-length")).findFirst()
                    .ifPresent(e -> ex.getResponseHeaders().put("Content-Length", e.getValue()));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** Flips the last byte of the first occurrence of {@code marker} in {@code data}; whether there was one. */
    /** Where {@code marker} first occurs in {@code data}; -1 when it does not, or either is null. */
    private static int indexOf(byte[] data, byte[] marker) {
        if (marker == null || data == null) {
            return -1;
        }
        for (int i = 0; i + marker.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + marker.length, marker, 0, marker.length)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean flip(byte[] data, byte[] marker) {
        int at = indexOf(data, marker);
        if (at < 0) {
            return false;
        }
        flipAt(data, at, marker);
        return true;
    }

    private static void flipAt(byte[] data, int at, byte[] marker) {
        data[at + marker.length - 1] ^= 0x01;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            out.put(name, eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Map<String, String> firstValues(Map<String, List<String>> headers) {
        Map<String, String> out = new HashMap<>();
        headers.forEach((name, values) -> {
            if (!values.isEmpty() && !name.startsWith(":")) {
                out.putIfAbsent(name.toLowerCase(Locale.ROOT), values.getFirst());
            }
        });
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        http.shutdownNow(); // close() would wait for idle keep-alive connections to time out
    }
}
