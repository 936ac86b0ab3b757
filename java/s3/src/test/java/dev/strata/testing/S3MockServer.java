package dev.strata.testing;

import dev.strata.storage.S3Options;
import dev.strata.storage.StorageOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Adobe S3Mock as a child JVM on 127.0.0.1, one per test JVM: a real S3 protocol peer (SigV4,
 * conditional writes, multipart, pagination) for tests of anything that stores objects.
 *
 * <pre>{@code
 * S3Options s3 = S3MockServer.shared().newBucket("my-test");   // a fresh, empty bucket
 * try (ObjectStore store = new S3ObjectStore(s3)) { ... }
 * }</pre>
 *
 * <p>The jar and the java binary come from the system properties {@code strata.s3mock.jar} and
 * {@code strata.test.java} that surefire sets. The server is started on first use and destroyed by
 * a shutdown hook; its data lives in a temp folder deleted with it.
 */
public final class S3MockServer {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final String REGION = "us-east-1";
    private static final String ACCESS_KEY = "strata-test";
    private static final String SECRET_KEY = "strata-test-secret";
    /**
     * The one KMS key id the server knows (S3Mock refuses an {@code aws:kms} write naming any other key with
     * 400 KMS.NotFoundException, as S3 does for a key it cannot use).
     */
    public static final String KMS_KEY_ID = "0e6b7c1a-3f52-4d8e-9b21-5a7c4d3e2f10";
    private static final Object LOCK = new Object();
    private static volatile S3MockServer shared;

    private final Process process;
    private final URI endpoint;
    private final Path root;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger bucketCounter = new AtomicInteger();

    private S3MockServer(Process process, URI endpoint, Path root, Path logFile) {
        this.process = process;
        this.endpoint = endpoint;
        this.root = root;
        this.logFile = logFile;
    }

    /** The server of this JVM, started on first call. */
    public static S3MockServer shared() {
        S3MockServer s = shared;
        if (s == null) {
            synchronized (LOCK) {
                s = shared;
                if (s == null) {
                    quietClientLogs();
                    s = start();
                    S3MockServer started = s;
                    Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "s3mock-stop"));
                    shared = s;
                }
            }
        }
        return s;
    }

    /**
     * The SDK and its HTTP client log every request (with stack traces for 404s and 412s) at DEBUG,
     * logback's default without a config: enough to slow S3 tests down severalfold.
     */
    private static void quietClientLogs() {
        for (String name : List.of("software.amazon.awssdk", "org.apache.http")) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger
                    && logger.getLevel() == null) {
                logger.setLevel(ch.qos.logback.classic.Level.INFO);
            }
        }
    }

    /** The http endpoint, e.g. {@code http://127.0.0.1:40123}. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Creates a new empty bucket whose name starts with {@code hint} (sanitized) and returns S3
     * options pointing at it: endpoint, path-style, region and static test credentials.
     */
    public S3Options newBucket(String hint) {
        String bucket = bucketName(hint);
        HttpRequest create = HttpRequest.newBuilder(endpoint.resolve("/" + bucket))
                .PUT(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> r = http.send(create, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("S3Mock refused bucket " + bucket + ": HTTP " + r.statusCode()
                        + " " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create bucket " + bucket + " on " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return S3Options.builder(bucket)
                .endpoint(endpoint)
                .pathStyle(true)
                .region(REGION)
                .credentials(ACCESS_KEY, SECRET_KEY)
                .build();
    }

    /** {@link #newBucket} wrapped in storage settings with the S3 backend. */
    public StorageOptions newStorage(String hint) {
        return StorageOptions.s3(newBucket(hint));
    }

    private String bucketName(String hint) {
        String clean = (hint == null ? "" : hint).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("^-+|-+$", "");
        String suffix = "-" + bucketCounter.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        if (clean.length() < 3) {
            clean = "strata" + (clean.isEmpty() ? "" : "-" + clean);
        }
        int max = 63 - suffix.length();
        return (clean.length() > max ? clean.substring(0, max) : clean).replaceAll("-+$", "") + suffix;
    }

    private static S3MockServer start() {
        String jar = requiredProperty("strata.s3mock.jar");
        String java = System.getProperty("strata.test.java",
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        try {
            Path root = Files.createTempDirectory("strata-s3mock-");
            Path logFile = root.resolveSibling(root.getFileName() + ".log");
            int port = freePort();
            List<String> command = List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", jar,
                    "--http.port=" + port,
                    "--server.port=0", // the https connector: any free port, unused
                    "--server.address=127.0.0.1",
                    "--com.adobe.testing.s3mock.store.root=" + root.resolve("data"),
                    "--com.adobe.testing.s3mock.store.retain-files-on-exit=false",
                    "--com.adobe.testing.s3mock.max-payload-size=64MB",
                    "--com.adobe.testing.s3mock.store.valid-kms-keys=arn:aws:kms:" + REGION + ":111122223333:key/"
                            + KMS_KEY_ID,
                    "--logging.level.root=WARN");
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            S3MockServer server = new S3MockServer(p, URI.create("http://127.0.0.1:" + port), root, logFile);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Mock from " + jar, e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        HttpRequest ping = HttpRequest.newBuilder(endpoint.resolve("/")).timeout(Duration.ofSeconds(5)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited with " + process.exitValue() + "; log: " + logTail());
            }
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("interrupted while S3Mock starts", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("interrupted while S3Mock starts", e);
            }
        }
        stop();
        throw new IllegalStateException("S3Mock did not answer on " + endpoint + " within " + STARTUP_TIMEOUT
                + "; log: " + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteTree(root);
        try {
            Files.deleteIfExists(logFile);
        } catch (IOException ignored) {
            // a leftover log in the temp folder is harmless
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort at JVM exit
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static String requiredProperty(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (surefire sets it in java/pom.xml)");
        }
        return v;
    }
}
