package dev.strata.jmh.cold;

import java.util.Map;

/** The Markdown table of a cold-read report (the JSON holds every number). */
final class ColdMarkdown {

    private ColdMarkdown() {
    }

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> r) {
        Map<String, Object> cold = (Map<String, Object>) r.get("cold");
        Map<String, Object> whole = (Map<String, Object>) cold.get("whole");
        Map<String, Object> query = (Map<String, Object>) cold.get("query");
        Map<String, Object> warm = (Map<String, Object>) r.get("warm");
        Map<String, Object> firstFiltered = (Map<String, Object>) r.get("first_filtered");
        Map<String, Object> filteredRequests = (Map<String, Object>) firstFiltered.get("requests");
        Map<String, Object> warmFiltered = (Map<String, Object>) r.get("warm_filtered");
        StringBuilder s = new StringBuilder();
        s.append("Cold read: %,d x %d cosine, %s, %s ms injected per request, %s cores, %s\n\n".formatted(
                (Integer) r.get("size"), (Integer) r.get("dim"), r.getOrDefault("store_kind", "S3Mock"), r.get("latency_ms"),
                r.get("cores"), r.get("finished")));
        s.append("| figure | value |\n|---|---|\n");
        if (r.get("load") instanceof Map<?, ?> load && load.get("add_s") instanceof Number add) {
            double compact = ((Number) load.get("compact_s")).doubleValue();
            int size = (Integer) r.get("size");
            row(s, "load: adds (with a compaction every --compact-every records) / the last compaction",
                    "%.0f s (%,.0f records/s) / %.0f s".formatted(add.doubleValue(), size / add.doubleValue(), compact));
            row(s, "load: records per second from the first add to the last version", "%,.0f".formatted(
                    size / (add.doubleValue() + compact)));
        }
        row(s, "open (node, catalog, lease)", cold.get("open_ms") + " ms");
        row(s, "first query (k=10, documents+metadatas+distances)", cold.get("first_query_ms") + " ms");
        row(s, "open start to first answer", "**" + cold.get("open_to_first_answer_ms") + " ms**");
        row(s, "sequential round trips, open + first query", whole.get("sequential_round_trips"));
        row(s, "sequential round trips, first query only", "**" + query.get("sequential_round_trips") + "**");
        row(s, "requests / bytes, open + first query", whole.get("requests") + " / " + mb(whole.get("bytes")));
        row(s, "requests by op, first query", query.get("by_op"));
        if (query.containsKey("index_download_ms")) {
            row(s, "index download (HEAD to last range), first query", query.get("index_download_ms") + " ms, "
                    + mb(query.get("index_bytes")));
            row(s, "index downloaded to next request (load + search)", query.get("index_end_to_next_request_ms") + " ms");
        }
        row(s, "warm query p50 / p95", warm.get("p50_ms") + " / " + warm.get("p95_ms") + " ms");
        if (warm.containsKey("requests")) {
            row(s, "requests / bytes of the warm queries (blocks no earlier query read)", warm.get("requests") + " / " + mb(warm.get("bytes")));
        }
        if (r.get("recall_at_10") instanceof Map<?, ?> recall) {
            row(s, "recall@10, first (cold) answer / mean over " + recall.get("queries") + " queries",
                    recall.get("first_cold") + " / " + recall.get("mean"));
        }
        row(s, "first filtered query (category = cat-3)", firstFiltered.get("ms") + " ms, "
                + filteredRequests.get("requests") + " requests, "
                + filteredRequests.get("sequential_round_trips") + " sequential");
        row(s, "warm filtered p50 / p95", warmFiltered.get("p50_ms") + " / " + warmFiltered.get("p95_ms") + " ms");
        if (r.get("memory") instanceof Map<?, ?> mem) {
            row(s, "RSS at the end / peak of the process" + (Boolean.TRUE.equals(mem.get("loaded_in_this_run"))
                    ? " (the peak includes this run's load)" : ""), mem.get("rss_mib") + " / " + mem.get("peak_rss_mib") + " MiB");
            row(s, "heap used / committed / max; memory tier of the block cache", mem.get("heap_used_mib") + " / "
                    + mem.get("heap_committed_mib") + " / " + mem.get("heap_max_mib") + " MiB; " + mem.get("cache_memory_mib") + " MiB");
            if (mem.containsKey("vector_blocks_mib")) {
                row(s, "off-heap vector blocks held at the end", mem.get("vector_blocks_mib") + " MiB");
            }
        }
        if (r.get("store") instanceof Map<?, ?> store) {
            row(s, "bucket after the run / raw bytes of the records", mb(store.get("bucket_bytes")) + " / "
                    + (store.get("raw_bytes") instanceof Number raw ? mb(raw) : "not measured")
                    + (store.get("overhead") instanceof Number x ? " (%.2fx)".formatted(x.doubleValue()) : ""));
            row(s, "bucket by why it is kept", store.get("retained_bytes"));
        }
        s.append("\nLongest chain of the first query:\n\n");
        for (Object link : (Iterable<Object>) query.get("chain")) {
            s.append("- ").append(link).append('\n');
        }
        return s.toString();
    }

    private static void row(StringBuilder s, String name, Object value) {
        s.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static String mb(Object bytes) {
        return "%.1f MB".formatted(((Number) bytes).longValue() / 1e6);
    }
}
