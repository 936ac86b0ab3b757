package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** A real {@code strata serve} process over a local folder, on a free port, for the commands that read a live node. */
final class RunningNode implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String url;

    private RunningNode(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts a node over {@code folder} and waits for its "listening" line. */
    static RunningNode start(Path folder) throws IOException {
        File err = File.createTempFile("strata-node", ".err");
        err.deleteOnExit();
        ProcessBuilder pb = new ProcessBuilder(
                System.getProperty("strata.test.java", Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--port", "0", "--path", folder.toString(), "--storage", "local")
                .redirectError(err);
        pb.environment().putAll(Map.of("STRATA_LOG_LEVEL", "WARN"));
        Process p = pb.start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("Strata listening on http://")) {
            p.destroyForcibly();
            throw new IllegalStateException("the node did not start: " + line + "\n" + Files.readString(err.toPath()));
        }
        return new RunningNode(p, line.substring("Strata listening on ".length()));
    }

    /** http://host:port */
    String url() {
        return url;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** Runs the command line in this JVM, its output and errors both into {@code out}; the exit code. */
    static int cli(StringWriter out, String... args) {
        CommandLine cl = Main.commandLine(EngineOpener.DEFAULT);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        return cl.execute(args);
    }

    /** One JSON request; a status outside 2xx fails the test. */
    static String send(HttpClient http, String method, String url, Object body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).method(method, publisher)
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + url + ": " + r.body()).isBetween(200, 299);
        return r.body();
    }
}
