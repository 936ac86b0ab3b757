package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.ops.CostEstimate;
import dev.strata.ops.CostPrices;
import dev.strata.ops.PrometheusCounters;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectMeta;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata cost}: request counters of a real node's /metrics scaled to a month, priced, plus its stored bytes. */
class CostCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";
    private static final int WRITES = 5;

    @TempDir
    Path dir;

    @Test
    void pricesTheRequestsOfARunningNodeScaledToAMonthAndItsStoredBytes() throws Exception {
        Path node = dir.resolve("node");
        try (RunningNode n = RunningNode.start(node); HttpClient http = HttpClient.newHttpClient()) {
            String url = n.url();
            JsonNode collection = JSON.readTree(RunningNode.send(http, "POST", url + DB + "/collections", Map.of("name", "costed")));
            String records = url + DB + "/collections/" + collection.get("id").asText();
            for (int i = 0; i < WRITES; i++) {
                RunningNode.send(http, "POST", records + "/add", Map.of("ids", List.of("r" + i),
                        "embeddings", List.of(List.of(i, 1, 2)), "documents", List.of("document " + i)));
            }
            for (int i = 0; i < 3; i++) {
                JsonNode q = JSON.readTree(RunningNode.send(http, "POST", records + "/query",
                        Map.of("query_embeddings", List.of(List.of(i, 1, 2)), "n_results", 1)));
                assertThat(q.get("ids").get(0).get(0).asText()).isEqualTo("r" + i);
            }

            String metrics = url + "/metrics";
            PrometheusCounters before = new PrometheusCounters(RunningNode.send(http, "GET", metrics, null));
            StringWriter out = new StringWriter();
            int exit = RunningNode.cli(out, "cost", "--metrics", metrics, "--path", node.toString(), "--json");
            PrometheusCounters after = new PrometheusCounters(RunningNode.send(http, "GET", metrics, null));
            assertThat(exit).isZero();
            JsonNode cost = JSON.readTree(out.toString());

            // The counts are the node's own, read between the two scrapes around the command.
            Map<String, Double> low = before.byLabel(CostCommand.REQUESTS, "op");
            Map<String, Double> high = after.byLabel(CostCommand.REQUESTS, "op");
            assertThat(low).containsKeys("get", "put", "list", "delete", "head");
            for (Iterator<Map.Entry<String, JsonNode>> it = cost.get("requests").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> op = it.next();
                assertThat(op.getValue().asDouble()).as(op.getKey()).isBetween(low.get(op.getKey()), high.get(op.getKey()));
            }
            assertThat(cost.get("requests").get("put_conditional").asLong()).as("the catalog manifest written on create")
                    .isPositive();
            double window = cost.get("windowSeconds").asDouble();
            assertThat(window).as("the node's uptime").isBetween(before.value(CostCommand.UPTIME).getAsDouble(),
                    after.value(CostCommand.UPTIME).getAsDouble());

            // The arithmetic: 30 days over the window, priced by class; storage is the store's listing.
            double scale = Duration.ofDays(30).toSeconds() / window;
            long monthlyTotal = 0;
            double requestCost = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = cost.get("requests").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> op = it.next();
                long monthly = cost.get("monthlyRequests").get(op.getKey()).asLong();
                assertThat(monthly).isEqualTo(Math.round(op.getValue().asLong() * scale));
                double price = switch (op.getKey()) {
                    case "get", "get_range", "head" -> 0.0004;
                    case "delete" -> 0;
                    default -> 0.005;
                };
                assertThat(cost.get("monthlyCostByOp").get(op.getKey()).asDouble()).isCloseTo(monthly / 1000.0 * price, within(1e-9));
                monthlyTotal += monthly;
                requestCost += monthly / 1000.0 * price;
            }
            assertThat(cost.get("monthlyRequestsTotal").asLong()).isEqualTo(monthlyTotal);
            assertThat(cost.get("requestCost").asDouble()).isCloseTo(requestCost, within(1e-9));
            long stored;
            try (LocalObjectStore store = new LocalObjectStore(node.resolve("objects"))) {
                stored = store.list("").stream().mapToLong(ObjectMeta::size).sum();
            }
            assertThat(cost.get("storedBytes").asLong()).isEqualTo(stored).isPositive();
            assertThat(cost.get("storageCost").asDouble()).isCloseTo(stored / (double) (1L << 30) * 0.023, within(1e-12));
            assertThat(cost.get("totalCost").asDouble()).isCloseTo(requestCost + cost.get("storageCost").asDouble(), within(1e-9));

            // Since an earlier scrape: only the requests made after it, over the uptime after it.
            Path earlier = dir.resolve("earlier.txt");
            Files.writeString(earlier, RunningNode.send(http, "GET", metrics, null));
            PrometheusCounters start = new PrometheusCounters(Files.readString(earlier));
            for (int i = 0; i < WRITES; i++) {
                RunningNode.send(http, "POST", records + "/upsert", Map.of("ids", List.of("r" + i),
                        "embeddings", List.of(List.of(i, 1, 3)), "documents", List.of("again " + i)));
            }
            out = new StringWriter();
            assertThat(RunningNode.cli(out, "cost", "--metrics", metrics, "--since", earlier.toString(), "--json")).isZero();
            PrometheusCounters end = new PrometheusCounters(RunningNode.send(http, "GET", metrics, null));
            JsonNode delta = JSON.readTree(out.toString());
            for (Iterator<Map.Entry<String, JsonNode>> it = delta.get("requests").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> op = it.next();
                double first = start.byLabel(CostCommand.REQUESTS, "op").get(op.getKey());
                assertThat(op.getValue().asDouble()).as(op.getKey())
                        .isBetween(0.0, end.byLabel(CostCommand.REQUESTS, "op").get(op.getKey()) - first);
            }
            assertThat(delta.get("windowSeconds").asDouble()).isPositive()
                    .isLessThanOrEqualTo(end.value(CostCommand.UPTIME).getAsDouble() - start.value(CostCommand.UPTIME).getAsDouble());

            // The table, with a window given and a dearer GET.
            out = new StringWriter();
            assertThat(RunningNode.cli(out, "cost", "--metrics", metrics, "--window", "1h", "--get-price", "0.001")).isZero();
            assertThat(out.toString()).contains("requests counted over 3600 s, scaled to 30 days (x720.0)")
                    .containsPattern("put +\\d+ +\\d+ +0\\.0050").containsPattern("get +\\d+ +\\d+ +0\\.0010")
                    .contains("storage          not measured").contains("total");
        }
    }

    @Test
    void theEstimateScalesCountsToThirtyDaysAndPricesThemByClass() {
        String text = """
                # HELP strata_object_store_requests_total object store requests
                # TYPE strata_object_store_requests_total counter
                strata_object_store_requests_total{op="get"} 1000.0
                strata_object_store_requests_total{op="put",node="a"} 200.0
                strata_object_store_requests_total{op="list"} 10.0
                strata_object_store_requests_total{op="delete"} 50.0
                strata_object_store_bytes_total{op="get"} 123456.0
                process_uptime_seconds 86400.0
                """;
        PrometheusCounters c = new PrometheusCounters(text);
        Map<String, Double> byOp = c.byLabel(CostCommand.REQUESTS, "op");
        assertThat(byOp).isEqualTo(Map.of("get", 1000.0, "put", 200.0, "list", 10.0, "delete", 50.0));
        assertThat(c.value(CostCommand.UPTIME).getAsDouble()).isEqualTo(86400.0);

        CostEstimate e = CostEstimate.of(Map.of("get", 1000L, "put", 200L, "list", 10L, "delete", 50L),
                Duration.ofDays(1), 10L << 30, CostPrices.defaults());
        assertThat(e.monthlyRequests()).containsEntry("get", 30_000L).containsEntry("put", 6_000L)
                .containsEntry("list", 300L).containsEntry("delete", 1_500L);
        assertThat(e.monthlyRequestsTotal()).isEqualTo(37_800L);
        // 30k GET x 0.0004/1k + (6k PUT + 300 LIST) x 0.005/1k; DELETE free
        assertThat(e.requestCost()).isCloseTo(0.012 + 0.0315, within(1e-12));
        assertThat(e.storageCost()).isCloseTo(0.23, within(1e-12));
        assertThat(e.totalCost()).isCloseTo(0.2735, within(1e-12));
        assertThat(CostCommand.parseWindow("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(CostCommand.parseWindow("1.5h")).isEqualTo(Duration.ofMinutes(90));
    }
}
