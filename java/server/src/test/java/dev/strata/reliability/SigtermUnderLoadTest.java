package dev.strata.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.Collection;
import dev.strata.api.GetRequest;
import dev.strata.api.GetResult;
import dev.strata.api.Include;
import dev.strata.api.Settings;
import dev.strata.cli.Main;
import dev.strata.engine.EmbeddedStrata;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM stops {@code strata serve} within 5 s under load (issue 12): a real server in a child process, over a
 * local folder, runs long reads (a heavy linear-time regex over large documents, each read tens of seconds),
 * concurrent writes, and a compaction of a large backlog; SIGTERM arrives while all of them run. The process must
 * exit within 5 s; every request in flight at the signal must get an answer (a result, or a refusal such as 503),
 * not a cut connection; and once the folder is reopened, every acknowledged write is there with its content, and
 * every batch that was not acknowledged is there whole or not at all.
 */
class SigtermUnderLoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";
    /** Records of the backlog whose compaction is running at the signal (its threshold). */
    private static final int BULK = 30_000;
    private static final int BULK_BATCH = 1_000;
    private static final int DIMENSION = 64;
    private static final int WRITERS = 2;
    private static final int READERS = 3;
    private static final long STOP_BUDGET_MS = 5_000;

    @TempDir
    Path dir;

    /** One request: when it started and ended (nanoTime), and its status, or the exception that ended it. */
    record Outcome(String what, long startNanos, long endNanos, int status, String failure) {}

    /** A write batch: its collection's name, its ids, and whether it was acknowledged. */
    record Batch(String collection, List<String> ids, boolean acknowledged) {}

    @Test
    void sigtermStopsALoadedServerWithinFiveSecondsAndLosesNothingAcknowledged() throws Exception {
        Path data = dir.resolve("node");
        Map<String, String> env = Map.of(
                "STRATA_COMPACTION_THRESHOLD_RECORDS", Integer.toString(BULK),
                "STRATA_COMPACTION_INTERVAL_MS", "600000",
                "STRATA_MAX_TAIL_RECORDS", Integer.toString(BULK),
                "STRATA_QUERY_TIMEOUT_MS", "120000",
                "STRATA_LOG_LEVEL", "INFO");
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        List<Batch> batches = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        long signalledAt;
        long exitedAt;
        int exitCode;
        ExecutorService clients = Executors.newFixedThreadPool(WRITERS + READERS + 1);
        try (ChildJvm child = ChildJvm.start(Main.class, dir.resolve("serve.out"), dir.resolve("serve.err"),
                List.of("serve", "--host", "127.0.0.1", "--port", "0", "--path", data.toString()), env);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .connectTimeout(Duration.ofSeconds(10)).build()) {
            String url = awaitListening(child);
            String docs = createCollection(http, url, "docs");
            String writes = createCollection(http, url, "writes");
            String bulk = createCollection(http, url, "bulk");
            String doc = "a".repeat(100_000);
            for (int i = 0; i < 8; i += 2) {
                post(http, url + records(docs, "add"), "{\"ids\":[\"d" + i + "\",\"d" + (i + 1) + "\"],\"embeddings\":[[1,0],[0,1]],"
                        + "\"documents\":[\"" + doc + "\",\"" + doc + "\"]}", 201);
            }

            for (int r = 0; r < READERS; r++) {
                clients.submit(() -> {
                    while (!stop.get()) {
                        send(http, "read", "POST", url + records(docs, "get"),
                                "{\"where_document\":{\"$regex\":\"(a|b){1,1000}x\"},\"include\":[]}", outcomes);
                    }
                });
            }
            for (int w = 0; w < WRITERS; w++) {
                int id = w;
                clients.submit(() -> writeLoop(http, url, writes, "write", id, stop, outcomes, batches));
            }

            // The backlog reaches the compaction threshold with its last batch: the compaction starts within a second.
            for (int b = 0; b < BULK / BULK_BATCH; b++) {
                post(http, url + records(bulk, "add"), bulkBatch(b), 201);
            }
            // Its tail is full (STRATA_MAX_TAIL_RECORDS): writes to it wait for the compaction to make room.
            clients.submit(() -> writeLoop(http, url, bulk, "stalled write", WRITERS, stop, outcomes, batches));
            long waitFrom = System.nanoTime();
            while (compactionsRunning(http, url) == 0) {
                assertThat((System.nanoTime() - waitFrom) / 1_000_000).as("ms until the compaction of the backlog started")
                        .isLessThan(30_000);
                Thread.sleep(20);
            }
            Thread.sleep(300); // into the compaction, with reads and writes in flight

            signalledAt = System.nanoTime();
            child.terminate();
            exitCode = child.waitFor(60_000);
            exitedAt = System.nanoTime();
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            long stopMs = (exitedAt - signalledAt) / 1_000_000;
            assertThat(stopMs).as("ms from SIGTERM to the process's exit; its stderr:%n%s", child.stderrTail())
                    .isLessThan(STOP_BUDGET_MS);
            assertThat(exitCode).as("exit code (0, or 143 for a JVM ended by SIGTERM)").isIn(0, 143);
            assertThat(child.stderrTail()).contains("strata serve: stopped");
        }

        // Every request in flight at the signal was answered or refused, none cut off.
        long margin = TimeUnit.MILLISECONDS.toNanos(100);
        List<Outcome> inFlight = outcomes.stream()
                .filter(o -> o.startNanos() < signalledAt - margin && o.endNanos() > signalledAt).toList();
        System.out.printf("SIGTERM under load: exited in %d ms; in flight at the signal: %s%n",
                (exitedAt - signalledAt) / 1_000_000, inFlight.stream().map(o -> o.what() + " " + o.status()).sorted().toList());
        assertThat(inFlight).as("requests in flight at SIGTERM").isNotEmpty()
                .anySatisfy(o -> assertThat(o.what()).isEqualTo("read"));
        assertThat(inFlight).as("requests in flight at SIGTERM, each answered or refused")
                .allSatisfy(o -> assertThat(o.failure()).isNull());
        assertThat(inFlight.stream().filter(o -> o.what().equals("read")))
                .as("long reads in flight: cancelled with 503").allSatisfy(o -> assertThat(o.status()).isEqualTo(503));
        assertThat(inFlight.stream().filter(o -> o.what().equals("stalled write")))
                .as("writes waiting for room in a full tail: refused with 429").isNotEmpty()
                .allSatisfy(o -> assertThat(o.status()).isEqualTo(429));

        // Reopen the folder: nothing acknowledged is lost, nothing unacknowledged is half there.
        try (EmbeddedStrata reopened = EmbeddedStrata.open(Settings.defaults(data))) {
            Collection bulkCollection = reopened.database().getCollection("bulk");
            assertThat(bulkCollection.get(GetRequest.builder().ids(java.util.stream.IntStream.range(0, BULK)
                    .mapToObj(i -> "b" + i).toList()).include().build()).size()).isEqualTo(BULK);
            long acknowledged = 0;
            for (Batch b : batches) {
                GetResult got = reopened.database().getCollection(b.collection()).get(GetRequest.builder().ids(b.ids())
                        .include(Include.DOCUMENTS).build());
                if (b.acknowledged()) {
                    acknowledged++;
                    assertThat(got.ids()).as("acknowledged batch %s", b.ids().getFirst()).hasSameElementsAs(b.ids());
                    for (int i = 0; i < got.ids().size(); i++) {
                        assertThat(got.documents().get(i)).isEqualTo(content(got.ids().get(i)));
                    }
                } else {
                    assertThat(got.ids().size()).as("unacknowledged batch %s: whole or absent", b.ids().getFirst())
                            .isIn(0, b.ids().size());
                }
            }
            assertThat(acknowledged).as("acknowledged write batches").isPositive();
        }
    }

    /** Adds batches of 20 records to a collection until stopped, recording each batch and whether it was acknowledged. */
    private static void writeLoop(HttpClient http, String url, String collectionId, String what, int writer,
            AtomicBoolean stop, List<Outcome> outcomes, List<Batch> batches) {
        String name = what.equals("write") ? "writes" : "bulk";
        for (int n = 0; !stop.get(); n++) {
            List<String> ids = new ArrayList<>();
            StringBuilder body = new StringBuilder("{\"ids\":[");
            for (int k = 0; k < 20; k++) {
                ids.add("w" + writer + "-" + n + "-" + k);
                body.append(k == 0 ? "\"" : ",\"").append(ids.getLast()).append('"');
            }
            body.append("],\"embeddings\":[");
            for (int k = 0; k < 20; k++) {
                body.append(k == 0 ? "" : ",").append('[');
                for (int d = 0; d < DIMENSION; d++) {
                    body.append(d == 0 ? "" : ",").append(n + k + d);
                }
                body.append(']');
            }
            body.append("],\"documents\":[");
            for (int k = 0; k < 20; k++) {
                body.append(k == 0 ? "\"" : ",\"").append(content(ids.get(k))).append('"');
            }
            body.append("]}");
            Outcome o = send(http, what, "POST", url + records(collectionId, "add"), body.toString(), outcomes);
            batches.add(new Batch(name, ids, o.status() == 201));
        }
    }

    private static String content(String id) {
        return "content of " + id;
    }

    private static String bulkBatch(int b) {
        StringBuilder body = new StringBuilder("{\"ids\":[");
        for (int i = 0; i < BULK_BATCH; i++) {
            body.append(i == 0 ? "\"" : ",\"").append("b").append(b * BULK_BATCH + i).append('"');
        }
        body.append("],\"embeddings\":[");
        java.util.SplittableRandom random = new java.util.SplittableRandom(b);
        for (int i = 0; i < BULK_BATCH; i++) {
            body.append(i == 0 ? "[" : ",[");
            for (int d = 0; d < DIMENSION; d++) {
                body.append(d == 0 ? "" : ",").append((float) random.nextDouble());
            }
            body.append(']');
        }
        return body.append("]}").toString();
    }

    private static String records(String collection, String op) {
        return DB + "/collections/" + collection + "/" + op;
    }

    private static String awaitListening(ChildJvm child) throws InterruptedException {
        Pattern listening = Pattern.compile("Strata listening on (http://\\S+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = listening.matcher(child.stdoutText());
            if (m.find()) {
                return m.group(1);
            }
            assertThat(child.isAlive()).as("serve is running; its stderr:%n%s", child.stderrTail()).isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("serve did not start within 60 s: " + child.stderrTail());
    }

    private static String createCollection(HttpClient http, String url, String name) throws Exception {
        return JSON.readTree(post(http, url + DB + "/collections", "{\"name\":\"" + name + "\"}", 200)).get("id").asText();
    }

    private static String post(HttpClient http, String uri, String body, int expected) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        return r.body();
    }

    private static int compactionsRunning(HttpClient http, String url) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^strata_compaction_running\\S* (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("strata_compaction_running in /metrics").isTrue();
        return (int) Double.parseDouble(m.group(1));
    }

    /** Sends one request and records how it ended; never throws. */
    private static Outcome send(HttpClient http, String what, String method, String uri, String body, List<Outcome> outcomes) {
        long start = System.nanoTime();
        Outcome o;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            o = new Outcome(what, start, System.nanoTime(), r.statusCode(), null);
        } catch (IOException e) {
            o = new Outcome(what, start, System.nanoTime(), -1, e.toString());
            sleepQuietly(); // the server is gone or going: do not spin
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            o = new Outcome(what, start, System.nanoTime(), -1, e.toString());
        }
        outcomes.add(o);
        return o;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
