package dev.strata.jmh.cold;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Adobe S3Mock as a child JVM on 127.0.0.1 for the benchmark, its data in a folder that is kept after exit
 * (so a loaded bucket can be measured again without loading it again).
 */
final class S3MockProcess implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final URI endpoint;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private S3MockProcess(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    static S3MockProcess start(Path jar, Path root) throws IOException, InterruptedException {
        Files.createDirectories(root);
        Path log = root.resolve("s3mock.log");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx1g", "-jar", jar.toString(),
                "--http.port=" + port,
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--com.adobe.testing.s3mock.store.root=" + root.resolve("data").toAbsolutePath(),
                "--com.adobe.testing.s3mock.store.retain-files-on-exit=true",
                "--com.adobe.testing.s3mock.max-payload-size=256MB",
                "--logging.level.root=WARN");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3MockProcess server = new S3MockProcess(p, URI.create("http://127.0.0.1:" + port), log);
        try {
            server.awaitReady();
        } catch (IOException | RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    URI endpoint() {
        return endpoint;
    }

    /** Creates the bucket unless it exists; true when it was created (empty). */
    static boolean ensureBucket(URI endpoint, String bucket) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(endpoint.resolve("/" + bucket))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        if (head.statusCode() == 200) {
            return false;
        }
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(endpoint.resolve("/" + bucket))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 200) {
            throw new IOException("cannot create bucket " + bucket + ": HTTP " + put.statusCode() + " " + put.body());
        }
        return true;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        HttpRequest ping = HttpRequest.newBuilder(endpoint.resolve("/")).timeout(Duration.ofSeconds(5)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("S3Mock exited with " + process.exitValue() + ", see " + log);
            }
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException("S3Mock did not answer on " + endpoint + " within " + STARTUP_TIMEOUT + ", see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
