package dev.strata.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.strata.testing.S3MockServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries, timeouts, ambiguous outcomes, the in-flight bound and coalescing, through a proxy in front of S3Mock
 * that counts the GETs it sees and can: answer 503 SlowDown without forwarding; hold a GET until the test
 * releases it; stall a GET past the client's socket timeout; forward a conditional PUT and then answer 500, or
 * stall past the timeout, as if the reply were lost.
 */
class S3ObjectStoreRetryTest {

    private static final Set<String> HOP_HEADERS =
            Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

    private static S3Options upstream;
    private static HttpServer proxy;
    // HTTP/1.1, as S3 clients speak it (the default client would try an h2c upgrade first)
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final AtomicInteger slowDowns = new AtomicInteger();
    private static final AtomicInteger lostConditionalReplies = new AtomicInteger();
    private static final AtomicInteger concurrent = new AtomicInteger();
    private static final AtomicInteger maxConcurrent = new AtomicInteger();
    private static volatile long getDelayMs;
    private static final AtomicInteger wireGets = new AtomicInteger();
    private static final AtomicInteger stalledGets = new AtomicInteger();
    private static final AtomicInteger stalledConditionalReplies = new AtomicInteger();
    private static volatile CountDownLatch holdGets;
    /** Longer than {@link #TIMEOUT_MS}: a stalled request's attempt times out on the client. */
    private static final long STALL_MS = 4_000;
    /** Well above S3Mock's slowest answers here (a conditional PUT can take most of a second on a busy machine). */
    private static final long TIMEOUT_MS = 2_000;

    @BeforeAll
    static void startProxy() throws IOException {
        upstream = S3MockServer.shared().newBucket("retry");
        proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", S3ObjectStoreRetryTest::handle);
        proxy.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        proxy.start();
    }

    @AfterAll
    static void stopProxy() {
        proxy.stop(0);
    }

    @BeforeEach
    void reset() {
        slowDowns.set(0);
        lostConditionalReplies.set(0);
        maxConcurrent.set(0);
        getDelayMs = 0;
        wireGets.set(0);
        stalledGets.set(0);
        stalledConditionalReplies.set(0);
        holdGets = null;
    }

    private static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            boolean get = ex.getRequestMethod().equals("GET");
            if (get) {
                wireGets.incrementAndGet();
                CountDownLatch hold = holdGets;
                if (hold != null) {
                    hold.await();
                }
                if (stalledGets.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    Thread.sleep(STALL_MS); // the client's attempt times out meanwhile; no reply follows
                    return;
                }
            }
            if (get && getDelayMs > 0) {
                // Counted only while the request is held: a count that also spanned writing the reply
                // would overlap the client's next request, sent as soon as it has the reply.
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(getDelayMs);
                } finally {
                    concurrent.decrementAndGet();
                }
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            if (slowDowns.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reply(ex, 503, Map.of(), "<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"
                        .getBytes(UTF_8));
                return;
            }
            URI target = URI.create(upstream.endpoint() + ex.getRequestURI().toString());
            HttpRequest.Builder forward = HttpRequest.newBuilder(target)
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(v -> forward.header(name, v));
                }
            });
            HttpResponse<byte[]> r = HTTP.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            boolean conditionalPut = ex.getRequestMethod().equals("PUT")
                    && (ex.getRequestHeaders().containsKey("If-None-Match") || ex.getRequestHeaders().containsKey("If-Match"));
            if (conditionalPut && lostConditionalReplies.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reply(ex, 500, Map.of(), "<Error><Code>InternalError</Code><Message>lost</Message></Error>".getBytes(UTF_8));
                return;
            }
            if (conditionalPut && stalledConditionalReplies.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                Thread.sleep(STALL_MS); // applied by S3Mock, but the client times out before any reply
                return;
            }
            reply(ex, r.statusCode(), r.headers().map(), ex.getRequestMethod().equals("HEAD") ? null : r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange ex, int status, Map<String, List<String>> headers, byte[] body)
            throws IOException {
        headers.forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                ex.getResponseHeaders().put(name, values);
            }
        });
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static S3Options.Builder proxied() {
        return upstream.toBuilder().endpoint(URI.create("http://127.0.0.1:" + proxy.getAddress().getPort()));
    }

    private static S3ObjectStore throughProxy(int maxRetries) {
        return new S3ObjectStore(proxied().maxRetries(maxRetries).build());
    }

    @Test
    void noMoreThanTheConfiguredRequestsAreInFlight() throws Exception {
        try (S3ObjectStore store = new S3ObjectStore(proxied().maxRequestsInFlight(2).build())) {
            for (int i = 0; i < 12; i++) {
                store.put("b/" + i, new byte[] {(byte) i});
            }
            getDelayMs = 20;
            maxConcurrent.set(0);

            ObjectStoreContractTest.parallel(12, 12, i -> assertThat(store.get("b/" + i)).containsExactly((byte) i));

            assertThat(maxConcurrent.get()).isEqualTo(2);
        }
    }

    @Test
    void slowDownIsRetriedAndEveryAttemptCounted() {
        try (S3ObjectStore store = throughProxy(3)) {
            store.put("k", "v".getBytes(UTF_8));
            slowDowns.set(2);

            assertThat(store.get("k")).isEqualTo("v".getBytes(UTF_8));
            assertThat(store.stats().requests(RequestStats.Op.GET)).isEqualTo(3);
        }
    }

    @Test
    void aPersistentErrorIsReportedWithStatusCodeAndAttempts() {
        try (S3ObjectStore store = throughProxy(2)) {
            slowDowns.set(100);

            assertThatThrownBy(() -> store.get("k"))
                    .isExactlyInstanceOf(ObjectStoreException.class)
                    .hasMessageContaining("503").hasMessageContaining("SlowDown")
                    .hasMessageContaining("3 attempt").hasMessageContaining("(key k)");
            assertThat(store.stats().requests(RequestStats.Op.GET)).isEqualTo(3);
        }
    }

    @Test
    void aConditionalWriteWhoseReplyWasLostIsResolvedByReadingBack() {
        try (S3ObjectStore store = throughProxy(3)) {
            lostConditionalReplies.set(1);

            String etag = store.putIfAbsent("lease.json", "node-a epoch 7".getBytes(UTF_8));

            assertThat(store.getVersioned("lease.json").etag()).isEqualTo(etag);
            assertThat(store.stats().requests(RequestStats.Op.PUT_CONDITIONAL))
                    .as("the applied attempt plus the retry that got 412").isEqualTo(2);
            assertThatThrownBy(() -> store.putIfAbsent("lease.json", "node-b epoch 8".getBytes(UTF_8)))
                    .isInstanceOf(PreconditionFailedException.class);
        }
    }

    @Test
    void aLostReplyToSomeoneElsesWinIsStillALoss() {
        try (S3ObjectStore store = throughProxy(3)) {
            String e1 = store.put("manifest.json", "v1".getBytes(UTF_8));
            lostConditionalReplies.set(1);

            String e2 = store.putIfMatch("manifest.json", "v2 by a".getBytes(UTF_8), e1);
            assertThat(store.get("manifest.json")).isEqualTo("v2 by a".getBytes(UTF_8));

            lostConditionalReplies.set(1);
            assertThatThrownBy(() -> store.putIfMatch("manifest.json", "v2 by b".getBytes(UTF_8), e1))
                    .isInstanceOf(PreconditionFailedException.class);
            assertThat(store.getVersioned("manifest.json").etag()).isEqualTo(e2);
        }
    }

    @Test
    void concurrentCacheMissesOfOneBlockMakeOneGet() throws Exception {
        try (S3ObjectStore store = throughProxy(3); BlockCache cache = new BlockCache(store, 1 << 20)) {
            store.put("c/x/b/hot", "block bytes".getBytes(UTF_8));
            int readers = 16;

            List<byte[]> read = readWhileTheFirstGetIsHeld(cache, "c/x/b/hot", readers);

            assertThat(read).hasSize(readers).allSatisfy(b -> assertThat(b).isEqualTo("block bytes".getBytes(UTF_8)));
            assertThat(wireGets.get()).isEqualTo(1);
            assertThat(store.stats().requests(RequestStats.Op.GET)).isEqualTo(1);
            assertThat(cache.misses()).isEqualTo(1);
        }
    }

    @Test
    void concurrentMissesOfAThrottledBlockShareItsRetries() throws Exception {
        try (S3ObjectStore store = throughProxy(3); BlockCache cache = new BlockCache(store, 1 << 20)) {
            store.put("c/x/b/throttled", "block bytes".getBytes(UTF_8));
            slowDowns.set(1);
            int readers = 8;

            List<byte[]> read = readWhileTheFirstGetIsHeld(cache, "c/x/b/throttled", readers);

            assertThat(read).hasSize(readers).allSatisfy(b -> assertThat(b).isEqualTo("block bytes".getBytes(UTF_8)));
            assertThat(wireGets.get()).as("the throttled attempt and one retry, for all readers").isEqualTo(2);
        }
    }

    @Test
    void aReadThatTimesOutIsRetriedAndSucceeds() {
        try (S3ObjectStore store = new S3ObjectStore(proxied().maxRetries(3).socketTimeoutMs(TIMEOUT_MS).build())) {
            store.put("k", "v".getBytes(UTF_8));
            stalledGets.set(2);

            assertThat(store.get("k")).isEqualTo("v".getBytes(UTF_8));
            assertThat(wireGets.get()).isEqualTo(3);
            assertThat(store.stats().requests(RequestStats.Op.GET)).isEqualTo(3);
        }
    }

    @Test
    void timeoutsGiveUpAfterTheBoundWithAClearError() {
        try (S3ObjectStore store = new S3ObjectStore(proxied().maxRetries(1).socketTimeoutMs(TIMEOUT_MS).build())) {
            stalledGets.set(100);

            assertThatThrownBy(() -> store.get("k"))
                    .isExactlyInstanceOf(ObjectStoreException.class)
                    .hasMessageContaining("get failed").hasMessageContaining("2 attempt")
                    .hasMessageContaining("(key k)");
            assertThat(wireGets.get()).isEqualTo(2);
        }
    }

    @Test
    void aConditionalWriteWhoseReplyTimedOutIsResolvedByReadingBack() {
        try (S3ObjectStore store = new S3ObjectStore(proxied().maxRetries(3).socketTimeoutMs(TIMEOUT_MS).build())) {
            stalledConditionalReplies.set(1);

            String etag = store.putIfAbsent("timeout/lease.json", "node-a epoch 9".getBytes(UTF_8));

            assertThat(store.getVersioned("timeout/lease.json").etag()).isEqualTo(etag);
            assertThat(store.get("timeout/lease.json")).isEqualTo("node-a epoch 9".getBytes(UTF_8));
            assertThatThrownBy(() -> store.putIfAbsent("timeout/lease.json", "node-b epoch 10".getBytes(UTF_8)))
                    .isInstanceOf(PreconditionFailedException.class);
        }
    }

    @Test
    void aConditionalWriteThatTimedOutAndLostIsALoss() {
        try (S3ObjectStore store = new S3ObjectStore(proxied().maxRetries(3).socketTimeoutMs(TIMEOUT_MS).build())) {
            String e1 = store.put("timeout/manifest.json", "v1".getBytes(UTF_8));
            String e2 = store.putIfMatch("timeout/manifest.json", "v2 by a".getBytes(UTF_8), e1);
            stalledConditionalReplies.set(1);

            // b read v1 too: its write is not applied (412), and its timeout must not turn that into a win
            assertThatThrownBy(() -> store.putIfMatch("timeout/manifest.json", "v2 by b".getBytes(UTF_8), e1))
                    .isInstanceOf(PreconditionFailedException.class);
            assertThat(store.getVersioned("timeout/manifest.json").etag()).isEqualTo(e2);
        }
    }

    /**
     * {@code readers} concurrent cache reads of {@code key}, the first GET held at the proxy until every other
     * reader has joined its load (so all of them miss at once); what each read.
     */
    private static List<byte[]> readWhileTheFirstGetIsHeld(BlockCache cache, String key, int readers)
            throws InterruptedException {
        holdGets = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<byte[]> read = new CopyOnWriteArrayList<>();
        for (int i = 0; i < readers; i++) {
            threads.add(Thread.ofVirtual().start(() -> read.add(cache.get(key, Bytes::new).bytes)));
        }
        await(() -> cache.hits() == readers - 1 && wireGets.get() == 1);
        holdGets.countDown();
        for (Thread t : threads) {
            t.join();
        }
        return read;
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 10 s");
            }
            Thread.sleep(5);
        }
    }

    /** A cached object: its bytes. */
    private record Bytes(byte[] bytes) implements Cacheable {
        Bytes(String key, byte[] bytes) {
            this(bytes);
        }

        @Override
        public long sizeInBytes() {
            return bytes.length;
        }
    }
}
