package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Settings;
import dev.strata.server.ServerOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

    private record Run(int exit, String out, String err) {}

    private static Run run(EngineOpener opener, String... args) {
        CommandLine cl = Main.commandLine(opener);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static ServeCommand parse(String... args) {
        CommandLine cl = Main.commandLine(EngineOpener.DEFAULT);
        CommandLine.ParseResult result = cl.parseArgs(args);
        return (ServeCommand) result.subcommand().commandSpec().userObject();
    }

    @Test
    void helpListsEveryFlagWithItsEnvironmentVariable() {
        Run r = run(EngineOpener.DEFAULT, "serve", "--help");
        assertThat(r.exit()).isZero();
        for (String s : List.of("--host", "STRATA_HOST", "--port", "STRATA_PORT", "--path", "STRATA_PATH", "--storage", "--s3-bucket",
                "--durability", "STRATA_DURABILITY", "--read-only", "STRATA_READ_ONLY", "--max-body-bytes", "--allow-reset", "--auth-tokens", "STRATA_AUTH_TOKENS")) {
            assertThat(r.out()).contains(s);
        }
    }

    @Test
    void anEngineThatCannotOpenMakesServeExitWithItsMessage() {
        EngineOpener failing = (settings, meters) -> {
            throw new EngineUnavailableException("engine not available: " + settings.path() + " is held by another node");
        };
        Run r = run(failing, "serve", "--port", "0", "--path", "some-folder");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("engine not available").contains("some-folder");
    }

    @Test
    void defaultsAreSafeAndFlagsReachServerOptionsAndEngineSettings() {
        ServeCommand defaults = parse("serve");
        ServerOptions d = defaults.serverOptions();
        // Assumes the test JVM runs without STRATA_* variables, as CI does.
        assertThat(d.host()).isEqualTo("127.0.0.1");
        assertThat(d.port()).isEqualTo(8000);
        assertThat(d.maxBodyBytes()).isEqualTo(ServerOptions.DEFAULT_MAX_BODY_BYTES);
        assertThat(d.allowReset()).isFalse();
        assertThat(d.authEnabled()).isFalse();
        assertThat(defaults.engineSettings().storage()).isEqualTo(Settings.Storage.LOCAL);

        ServeCommand c = parse("serve", "--host", "0.0.0.0", "--port", "9001", "--path", "/tmp/x", "--storage", "s3", "--s3-bucket", "b",
                "--s3-endpoint", "http://minio:9000", "--s3-path-style", "--durability", "s3", "--max-body-bytes", "1000",
                "--allow-reset", "--auth-tokens", "t1,t2@acme");
        ServerOptions o = c.serverOptions();
        assertThat(o.host()).isEqualTo("0.0.0.0");
        assertThat(o.port()).isEqualTo(9001);
        assertThat(o.maxBodyBytes()).isEqualTo(1000);
        assertThat(o.allowReset()).isTrue();
        assertThat(o.authTokens()).containsEntry("t1", null).containsEntry("t2", "acme").hasSize(2);
        Settings s = c.engineSettings();
        assertThat(s.path()).isEqualTo(Path.of("/tmp/x"));
        assertThat(s.storage()).isEqualTo(Settings.Storage.S3);
        assertThat(s.s3Bucket()).isEqualTo("b");
        assertThat(s.s3PathStyle()).isTrue();
        assertThat(s.durability()).isEqualTo(Settings.Durability.S3);
        assertThat(s.readOnly()).isFalse();
        assertThat(parse("serve", "--read-only").engineSettings().readOnly()).isTrue();
    }

    @Test
    void inconsistentFlagsAreRefusedWithAMessage() {
        // Refused before the engine opens: nothing is written to the default ./strata-data (the source tree).
        assertThat(run(MUST_NOT_OPEN, "serve", "--storage", "s3").err()).contains("--s3-bucket");
        assertThat(run(MUST_NOT_OPEN, "serve", "--durability", "s3").err()).contains("--storage s3");
        assertThat(run(MUST_NOT_OPEN, "serve", "--port", "70000").err()).contains("port");
        assertThat(run(MUST_NOT_OPEN, "serve", "--storage", "ftp").exit()).isEqualTo(2);
        assertThat(run(MUST_NOT_OPEN, "serve", "--auth-tokens", "@acme").err()).contains("TOKEN@TENANT");
    }

    /** An engine opener for runs that must fail before opening anything. */
    private static final EngineOpener MUST_NOT_OPEN = (settings, meters) -> {
        throw new AssertionError("opened with " + settings);
    };

    @Test
    void encryptionFlagsReachTheEngineAndNonsenseIsRefusedBeforeAnythingOpens() {
        String[] s3 = {"serve", "--storage", "s3", "--s3-bucket", "b"};
        Settings kms = parse(concat(s3, "--s3-sse", "AWS:KMS", "--s3-kms-key-id", "alias/strata")).engineSettings();
        assertThat(kms.s3Sse()).isEqualTo("aws:kms");
        assertThat(kms.s3KmsKeyId()).isEqualTo("alias/strata");
        assertThat(parse(concat(s3, "--s3-sse", "aes256")).engineSettings().s3Sse()).isEqualTo("AES256");
        assertThat(parse(s3).engineSettings().s3Sse()).isEqualTo("none");

        Run bad = run(MUST_NOT_OPEN, concat(s3, "--s3-sse", "aws:kms:dsse"));
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--s3-sse (env STRATA_S3_SSE) must be one of none, AES256, aws:kms")
                .contains("aws:kms:dsse");
        Run keyWithoutKms = run(MUST_NOT_OPEN, concat(s3, "--s3-sse", "AES256", "--s3-kms-key-id", "k"));
        assertThat(keyWithoutKms.exit()).isEqualTo(2);
        assertThat(keyWithoutKms.err()).contains("--s3-kms-key-id (env STRATA_S3_KMS_KEY_ID) is set")
                .contains("needs aws:kms");
        Run local = run(MUST_NOT_OPEN, "serve", "--s3-sse", "aws:kms");
        assertThat(local.exit()).isEqualTo(2);
        assertThat(local.err()).contains("--s3-sse aws:kms (env STRATA_S3_SSE) needs --storage s3 (env STRATA_STORAGE)");
        assertThat(run(EngineOpener.DEFAULT, "serve", "--help").out()).contains("--s3-sse").contains("STRATA_S3_SSE")
                .contains("--s3-kms-key-id").contains("STRATA_S3_KMS_KEY_ID");
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    /** `strata serve` in its own JVM over the real engine, its data (STRATA_PATH) in a temporary folder. */
    @Test
    void servesFromEnvironmentVariablesAndClosesTheEngineOnSigterm(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                System.getProperty("strata.test.java", Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve");
        pb.environment().putAll(Map.of("STRATA_PORT", "0", "STRATA_HOST", "127.0.0.1", "STRATA_AUTH_TOKENS", "sesame",
                "STRATA_LOG_LEVEL", "WARN", "STRATA_PATH", dir.resolve("node").toString()));
        // destroy() closes the pipes, so stderr goes to a file read after the process ended.
        java.io.File errFile = dir.resolve("serve.err").toFile();
        pb.redirectError(errFile);
        Process p = pb.start();
        try (HttpClient http = HttpClient.newHttpClient()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as(() -> readQuietly(errFile)).startsWith("Strata listening on http://127.0.0.1:");
            String url = line.substring("Strata listening on ".length());
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/api/v2/heartbeat")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            URI collections = URI.create(url + "/api/v2/tenants/default_tenant/databases/default_database/collections");
            assertThat(http.send(HttpRequest.newBuilder(collections).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(collections).header("X-Chroma-Token", "sesame").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            String metrics = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).header("X-Chroma-Token", "sesame").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("jvm_memory_used_bytes").contains("strata_http_requests_seconds_count");
        } finally {
            p.destroy(); // SIGTERM
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String err = java.nio.file.Files.readString(errFile.toPath());
        assertThat(err).contains("stopped, engine closed");
    }

    private static String readQuietly(java.io.File file) {
        try {
            return java.nio.file.Files.readString(file.toPath());
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }
}
