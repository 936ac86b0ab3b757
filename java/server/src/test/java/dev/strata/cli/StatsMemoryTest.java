package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.ops.MemoryReport;
import dev.strata.ops.PrometheusCounters;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real node's memory breakdown: a gauge per part in its /metrics, printed by {@code strata stats --metrics}. */
class StatsMemoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";
    /** The parts every node on Linux with glibc publishes (the build and test machines). */
    private static final List<String> PARTS = List.of("heap", "metaspace", "code_cache", "jvm_other", "thread_stacks",
            "mapped_files", "direct_buffers", "arrow", "vector_blocks", "native_index", "rocksdb_memtables", "rocksdb_block_cache",
            "rocksdb_table_readers", "malloc_other", "malloc_free", "other");

    @TempDir
    Path dir;

    @Test
    void aRunningNodePublishesEachPartAndStatsPrintsThem() throws Exception {
        Path folder = dir.resolve("node");
        try (RunningNode node = RunningNode.start(folder); HttpClient http = HttpClient.newHttpClient()) {
            String collection = JSON.readTree(RunningNode.send(http, "POST", node.url() + DB + "/collections",
                    Map.of("name", "measured"))).get("id").asText();
            List<String> ids = new ArrayList<>();
            List<List<Integer>> vectors = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ids.add("r" + i);
                vectors.add(List.of(i, 1, 2));
            }
            String records = node.url() + DB + "/collections/" + collection;
            RunningNode.send(http, "POST", records + "/add", Map.of("ids", ids, "embeddings", vectors));
            RunningNode.send(http, "POST", records + "/query", Map.of("query_embeddings", List.of(List.of(1, 1, 2)), "n_results", 3));

            String metrics = node.url() + "/metrics";
            PrometheusCounters scrape = new PrometheusCounters(RunningNode.send(http, "GET", metrics, null));
            Map<String, Double> parts = scrape.byLabel(MemoryReport.PARTS, "part");
            assertThat(parts).containsOnlyKeys(PARTS);
            assertThat(parts.values()).allSatisfy(bytes -> assertThat(bytes).isNotNaN().isNotNegative());
            double rss = scrape.value(MemoryReport.RSS).orElseThrow();
            assertThat(rss).isGreaterThan(parts.get("metaspace") + parts.get("code_cache"));
            assertThat(scrape.byLabel(MemoryReport.DETAILS, "what"))
                    .containsKeys("heap_used", "block_cache_memory", "mapped_buffers", "malloc_in_use");

            StringWriter table = new StringWriter();
            assertThat(RunningNode.cli(table, "stats", "--metrics", metrics)).isZero();
            assertThat(table.toString()).contains("MEMORY OF THE NODE AT " + metrics).containsPattern("(?m)^rss +\\d+");
            for (String part : PARTS) {
                assertThat(table.toString()).containsPattern("(?m)^" + part + " +\\d+ +\\d+\\.\\d +\\d+\\.\\d%$");
            }

            StringWriter both = new StringWriter();
            assertThat(RunningNode.cli(both, "stats", "--metrics", metrics, "--path", folder.toString(), "--json")).isZero();
            JsonNode report = JSON.readTree(both.toString());
            assertThat(report.get("store").get("collections").get(0).get("name").asText()).isEqualTo("measured");
            assertThat(report.get("memory").get("rssBytes").asLong()).isPositive();
            List<String> printed = new ArrayList<>();
            report.get("memory").get("parts").fieldNames().forEachRemaining(printed::add);
            assertThat(printed).containsExactlyInAnyOrderElementsOf(PARTS);
        }
    }

    @Test
    void aNodeThatCannotBeReachedIsAOneLineError() {
        StringWriter out = new StringWriter();
        assertThat(RunningNode.cli(out, "stats", "--metrics", "http://127.0.0.1:1/metrics")).isEqualTo(OpsCommandSupport.FAILED);
        assertThat(out.toString()).startsWith("error: cannot read http://127.0.0.1:1/metrics");
    }
}
