package dev.strata.cli;

import dev.strata.ops.CostEstimate;
import dev.strata.ops.CostPrices;
import dev.strata.ops.PrometheusCounters;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code strata cost}: a monthly object-store bill estimated from a running node's request counters (its
 * {@code /metrics}) scaled from the window they cover to 30 days, and from the bytes in the store.
 */
@Command(name = "cost", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.StoreRows.class,
        description = "Estimates a month of object-store cost: a node's request counters (--metrics, its /metrics URL)"
                + " scaled from the window they cover (--window, else the node's uptime) to 30 days, and the bytes in"
                + " the store (--path or --storage s3 ...) priced per GB-month. Prices default to S3 Standard's.")
final class CostCommand implements Callable<Integer> {

    static final String REQUESTS = "strata_object_store_requests_total";
    static final String UPTIME = "process_uptime_seconds";
    private static final Pattern WINDOW = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    @Spec
    CommandSpec spec;

    @Mixin
    StorageMixin storage;

    @Mixin
    NodeMetrics node;

    @Option(names = "--window", paramLabel = "DURATION",
            description = "How long the node's counters counted (90s, 10m, 2h, 1d); default: its uptime"
                    + " (process_uptime_seconds).")
    String window;

    @Option(names = "--since", paramLabel = "FILE",
            description = "An earlier scrape of the same node's /metrics (curl URL > FILE): count only the requests"
                    + " made since, over the uptime since (unless --window), so a window of steady load is measured"
                    + " without the node's start-up.")
    java.nio.file.Path since;

    @Option(names = "--put-price", paramLabel = "USD", defaultValue = "0.005",
            description = "PUT, LIST and multipart steps, per 1,000 (default ${DEFAULT-VALUE}).")
    double putPrice;

    @Option(names = "--get-price", paramLabel = "USD", defaultValue = "0.0004",
            description = "GET, ranged GET and HEAD, per 1,000 (default ${DEFAULT-VALUE}). DELETE is free.")
    double getPrice;

    @Option(names = "--storage-price", paramLabel = "USD", defaultValue = "0.023",
            description = "Per GB (2^30 bytes) stored for a month (default ${DEFAULT-VALUE}).")
    double storagePrice;

    @Option(names = "--json", description = "Print the estimate as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return OpsCommandSupport.run(spec, () -> {
            boolean hasStore = storage.named();
            if (!node.given() && !hasStore) {
                throw new ParameterException(spec.commandLine(), "give --metrics URL, a store (--path, --storage s3), or both");
            }
            Map<String, Long> requests = new LinkedHashMap<>();
            Duration counted = window == null ? null : parseWindow(window);
            if (node.given()) {
                PrometheusCounters scraped = new PrometheusCounters(node.scrape());
                Map<String, Double> byOp = scraped.byLabel(REQUESTS, "op");
                if (byOp.isEmpty()) {
                    throw new IllegalStateException(node.url + " has no " + REQUESTS + " samples: is it a Strata node?");
                }
                PrometheusCounters earlier = since == null ? null : new PrometheusCounters(java.nio.file.Files.readString(since));
                Map<String, Double> before = earlier == null ? Map.of() : earlier.byLabel(REQUESTS, "op");
                byOp.forEach((op, n) -> requests.put(op, Math.round(n - before.getOrDefault(op, 0.0))));
                if (counted == null) {
                    double uptime = uptime(scraped, node.url.toString());
                    double start = earlier == null ? 0 : uptime(earlier, since.toString());
                    counted = Duration.ofMillis(Math.max(1, Math.round((uptime - start) * 1000)));
                }
            }
            Long stored = hasStore ? storedBytes() : null;
            CostEstimate estimate = CostEstimate.of(requests, counted == null ? CostEstimate.MONTH : counted, stored,
                    new CostPrices(putPrice, getPrice, storagePrice));
            boolean scraped = node.given();
            OpsCommandSupport.printReport(spec, json, estimate, (e, out) -> print(e, scraped, out));
            return OpsCommandSupport.OK;
        });
    }

    private static double uptime(PrometheusCounters scrape, String source) {
        OptionalDouble uptime = scrape.value(UPTIME);
        if (uptime.isEmpty()) {
            throw new IllegalStateException(source + " has no " + UPTIME + ": give --window");
        }
        return uptime.getAsDouble();
    }

    private long storedBytes() {
        try (ObjectStore store = storage.openStore()) {
            return store.list("").stream().mapToLong(ObjectMeta::size).sum();
        }
    }

    static Duration parseWindow(String text) {
        Matcher m = WINDOW.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--window must be a number and a unit (ms, s, m, h, d), not '" + text + "'");
        }
        double n = Double.parseDouble(m.group(1));
        long unitMs = switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
        };
        return Duration.ofMillis(Math.round(n * unitMs));
    }

    private static void print(CostEstimate e, boolean counted, PrintWriter out) {
        if (counted) {
            out.printf(Locale.ROOT, "requests counted over %.0f s, scaled to 30 days (x%.1f)%n", e.windowSeconds(),
                    CostEstimate.MONTH.toSeconds() / e.windowSeconds());
            String row = "%-16s %14s %16s %10s %12s%n";
            out.printf(row, "OP", "COUNTED", "PER MONTH", "USD/1000", "USD/MONTH");
            e.requests().forEach((op, n) -> out.printf(Locale.ROOT, "%-16s %14d %16d %10.4f %12.2f%n", op, n,
                    e.monthlyRequests().get(op), e.prices().per1000(op), e.monthlyCostByOp().get(op)));
            out.printf(Locale.ROOT, "%-16s %14s %16d %10s %12.2f%n", "requests", "",
                    e.monthlyRequestsTotal(), "", e.requestCost());
        }
        if (e.storedBytes() != null) {
            out.printf(Locale.ROOT, "%-16s %14d bytes (%.3f GB) at %.4f USD/GB-month %12.2f%n", "storage",
                    e.storedBytes(), e.storedBytes() / (double) (1L << 30), e.prices().storagePerGbMonth(), e.storageCost());
        } else {
            out.println("storage          not measured (give --path or --storage s3 ... to list the store)");
        }
        out.printf(Locale.ROOT, "%-16s %68.2f USD/month%n", "total", e.totalCost());
    }
}
