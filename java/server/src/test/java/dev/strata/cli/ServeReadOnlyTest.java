package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.Collection;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.api.Strata;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `strata serve --read-only` in its own JVM beside a writer in this one, both on one objects folder (local storage,
 * whose conditional writes are atomic across processes): Chroma's read routes answer with the writer's data, the
 * write routes answer 403 ReadOnlyError, and the served node follows the writer's later writes by itself.
 */
class ServeReadOnlyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";

    @TempDir
    Path dir;

    @Test
    void aReadOnlyServerAnswersReadsRefusesWritesAndFollowsTheWriter() throws Exception {
        Path writerPath = dir.resolve("writer");
        Path readerPath = dir.resolve("reader");
        Map<String, String> env = Map.of("STRATA_STORAGE", "local", "STRATA_DURABILITY", "s3");
        try (Strata writer = Strata.open(Settings.defaults(writerPath).withAll(env))) {
            Collection c = writer.database().createCollection("served", null, null);
            c.add(records(0, 20, "old"));
            c.compact();
            c.add(records(20, 10, "new")); // in the uploaded log

            Files.createDirectories(readerPath);
            Files.createSymbolicLink(readerPath.resolve("objects"), writerPath.resolve("objects"));
            File err = File.createTempFile("strata-serve-read-only", ".err");
            err.deleteOnExit();
            ProcessBuilder pb = new ProcessBuilder(
                    System.getProperty("strata.test.java", Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                    "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "serve", "--read-only", "--port", "0", "--path", readerPath.toString(), "--storage", "local")
                    .redirectError(err);
            pb.environment().putAll(Map.of("STRATA_READ_ONLY_REFRESH_MS", "200", "STRATA_LOG_LEVEL", "WARN"));
            Process p = pb.start();
            try (HttpClient http = HttpClient.newHttpClient()) {
                String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
                assertThat(line).as(Files.readString(err.toPath())).startsWith("Strata listening on http://");
                String url = line.substring("Strata listening on ".length());

                JsonNode collection = send(http, "GET", url + DB + "/collections/served", null).json();
                String records = url + DB + "/collections/" + collection.get("id").asText();
                JsonNode got = send(http, "POST", records + "/get", Map.of("where", Map.of("kind", "new"))).json();
                assertThat(got.get("ids")).hasSize(10);
                JsonNode query = send(http, "POST", records + "/query", Map.of("query_embeddings",
                        List.of(embedding(3)), "n_results", 1, "where", Map.of("kind", "old"))).json();
                assertThat(query.get("ids").get(0).get(0).asText()).isEqualTo("r3");
                assertThat(send(http, "GET", records + "/count", null).text()).isEqualTo("30");

                Reply add = send(http, "POST", records + "/add", Map.of("ids", List.of("x"),
                        "embeddings", List.of(embedding(99))));
                assertThat(add.status()).isEqualTo(403);
                assertThat(add.json().get("error").asText()).isEqualTo("ReadOnlyError");
                assertThat(add.json().get("message").asText()).contains("read-only").contains("writer");
                assertThat(send(http, "POST", url + DB + "/collections", Map.of("name", "other")).status())
                        .isEqualTo(403);
                assertThat(send(http, "DELETE", url + DB + "/collections/served", null).status()).isEqualTo(403);

                c.add(records(30, 5, "newer"));
                String count = "";
                for (long deadline = System.currentTimeMillis() + 20_000; System.currentTimeMillis() < deadline; ) {
                    count = send(http, "GET", records + "/count", null).text();
                    if (count.equals("35")) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertThat(count).as("the served node follows the writer by itself").isEqualTo("35");
            } finally {
                p.destroy(); // SIGTERM: the server stops, the engine closes
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(Files.readString(err.toPath())).contains("stopped, engine closed");
            assertThat(c.count()).as("the writer is untouched").isEqualTo(35);
        }
    }

    private record Reply(int status, String text) {
        JsonNode json() throws IOException {
            return JSON.readTree(text);
        }
    }

    private static Reply send(HttpClient http, String method, String url, Object body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).method(method, publisher)
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    private static RecordSet records(int from, int count, String kind) {
        List<String> ids = IntStream.range(from, from + count).mapToObj(i -> "r" + i).toList();
        return RecordSet.builder().ids(ids)
                .embeddings(IntStream.range(from, from + count).mapToObj(ServeReadOnlyTest::embedding).toList())
                .metadatas(ids.stream().map(id -> Map.<String, Object>of("kind", kind)).toList())
                .build();
    }

    private static float[] embedding(int i) {
        return new float[] {i, i % 7, 1};
    }
}
