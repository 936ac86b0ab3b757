package dev.strata.cli;

import dev.strata.api.Settings;
import dev.strata.ops.CollectionStats;
import dev.strata.ops.MemoryReport;
import dev.strata.ops.PrometheusCounters;
import dev.strata.ops.StatsCollector;
import dev.strata.ops.StatsReport;
import dev.strata.gc.GcOptions;
import dev.strata.gc.Retained;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata stats}: collections, versions, uncompacted log and bytes per kind, as a table or JSON. */
@Command(name = "stats", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.StoreRows.class,
        description = "Prints collections per tenant and database (current version, kept versions, records,"
                + " dimension, sealed log vs compaction cursor) and bytes in the object store per kind; with --raw,"
                + " stored bytes against the raw bytes of the records (overhead). Bytes by why they are kept (current"
                + " version, newest N, TTL, log, due for GC) as a GC run now would decide with --keep-versions,"
                + " --ttl-ms and --grace-ms. With --metrics, a running node's resident memory by part (heap, metaspace,"
                + " code cache, thread stacks, RocksDB, native index, malloc, ...), from its /metrics; the store's figures"
                + " are read from the store, not from the node, so without --path or --storage s3 only the memory is"
                + " printed.")
public final class StatsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StorageMixin storage;

    @Mixin
    ReportMixin output;

    @Option(names = "--raw", description = "Also measure the raw bytes of each collection's current records (ids,"
            + " documents, metadata, 4 bytes per vector dimension) and print stored bytes against them. Reads every"
            + " record block of each current version.")
    boolean raw;

    @Option(names = "--keep-versions", paramLabel = "N",
            description = "The GC's keep_versions, to sort retained bytes by reason (default: STRATA_GC_KEEP_VERSIONS"
                    + " or 3).")
    Integer keepVersions;

    @Option(names = "--ttl-ms", paramLabel = "MS",
            description = "The GC's version TTL (default: STRATA_GC_TTL_MS or 7 days).")
    Long ttlMs;

    @Option(names = "--version-spacing-ms", paramLabel = "MS",
            description = "The GC's spacing of kept versions within the TTL (default: STRATA_GC_VERSION_SPACING_MS or 1"
                    + " hour).")
    Long spacingMs;

    @Option(names = "--grace-ms", paramLabel = "MS",
            description = "The GC's grace period (default: STRATA_GC_GRACE_MS or 10 minutes).")
    Long graceMs;

    @Mixin
    NodeMetrics node;

    public StatsCommand() {}

    /** The store's report and the node's memory, for --json with both. */
    record StoreAndMemory(StatsReport store, MemoryReport memory) {}

    @Override
    public Integer call() {
        return OpsCommandSupport.run(spec, () -> {
            MemoryReport memory = node.given() ? memory() : null;
            if (memory != null && !storage.named() && output.location == null) {
                OpsCommandSupport.printReport(spec, output.json, memory, (m, out) -> printMemory(m, node.url, out));
                return OpsCommandSupport.OK;
            }
            Map<String, String> env = System.getenv();
            GcOptions policy = GcOptions.defaults()
                    .withKeepVersions(SettingOptions.orElse(spec, keepVersions, Settings.GC_KEEP_VERSIONS, env))
                    .withVersionTtlMs(SettingOptions.orElse(spec, ttlMs, Settings.GC_TTL_MS, env))
                    .withVersionSpacingMs(SettingOptions.orElse(spec, spacingMs, Settings.GC_VERSION_SPACING_MS, env))
                    .withGraceMs(SettingOptions.orElse(spec, graceMs, Settings.GC_GRACE_MS, env));
            StatsReport report = output.read(storage, store -> {
                StatsCollector collector = new StatsCollector(store).withRetention(policy, Clock.systemUTC());
                return (raw ? collector.withRawBytes() : collector).collect();
            });
            if (memory == null) {
                OpsCommandSupport.printReport(spec, output.json, report, StatsCommand::print);
            } else {
                OpsCommandSupport.printReport(spec, output.json, new StoreAndMemory(report, memory), (both, out) -> {
                    print(both.store(), out);
                    out.println();
                    printMemory(both.memory(), node.url, out);
                });
            }
            return OpsCommandSupport.OK;
        });
    }

    private MemoryReport memory() throws InterruptedException {
        MemoryReport memory = MemoryReport.from(new PrometheusCounters(node.scrape()));
        if (memory.parts().isEmpty()) {
            throw new IllegalStateException(node.url + " has no " + MemoryReport.PARTS + " samples: is it a Strata node"
                    + " recent enough to publish its memory by part?");
        }
        return memory;
    }

    /** The parts, largest first, with their share of the RSS; then the figures within them. */
    static void printMemory(MemoryReport m, URI source, PrintWriter out) {
        out.printf("MEMORY OF THE NODE AT %s%n", source);
        String row = "%-24s %16s %10s %7s%n";
        out.printf(row, "PART", "BYTES", "MIB", "OF RSS");
        if (m.rssBytes() != null) {
            out.printf(Locale.ROOT, row, "rss", m.rssBytes(), mib(m.rssBytes()), "100.0%");
        }
        m.parts().forEach((part, bytes) -> out.printf(Locale.ROOT, row, part, bytes, mib(bytes),
                m.rssBytes() == null || m.rssBytes() == 0 ? "-"
                        : String.format(Locale.ROOT, "%.1f%%", 100.0 * bytes / m.rssBytes())));
        if (!m.details().isEmpty()) {
            out.printf("%n%-24s %16s %10s%n", "WITHIN THE PARTS", "BYTES", "MIB");
            m.details().forEach((what, bytes) -> out.printf(Locale.ROOT, "%-24s %16d %10s%n", what, bytes, mib(bytes)));
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }

    /** Bytes per retention reason, one column per reason some collection has, in strength order. */
    private static void printRetained(StatsReport r, PrintWriter out) {
        List<Retained> shown = Arrays.stream(Retained.values())
                .filter(reason -> r.collections().stream().anyMatch(c -> c.retainedBytes().containsKey(reason.label())))
                .toList();
        if (shown.isEmpty()) {
            return;
        }
        StringBuilder header = new StringBuilder(String.format("%n%-40s", "RETAINED BYTES BY REASON"));
        shown.forEach(reason -> header.append(String.format(" %15s", reason.label().toUpperCase(Locale.ROOT))));
        out.println(header);
        for (CollectionStats c : r.collections()) {
            StringBuilder row = new StringBuilder(String.format("%-40s", c.tenant() + "/" + c.database() + "/" + c.name()));
            shown.forEach(reason -> row.append(String.format(" %15d", c.retainedBytes().getOrDefault(reason.label(), 0L))));
            out.println(row);
        }
    }

    private static void print(StatsReport r, PrintWriter out) {
        String row = "%-40s %-36s %8s %5s %10s %6s %10s %10s %12s %14s%n";
        out.printf(row, "TENANT/DATABASE/COLLECTION", "ID", "VERSION", "KEPT", "RECORDS", "DIM", "LOG LAST",
                "CURSOR", "UNCOMPACTED", "BYTES");
        for (CollectionStats c : r.collections()) {
            out.printf(row, c.tenant() + "/" + c.database() + "/" + c.name(), c.id(), c.version(), c.keptVersions(),
                    c.records() == null ? "?" : c.records(), c.dimension() == null ? "-" : c.dimension(), c.logLastSeq(), c.logCursor(),
                    c.uncompactedRecords(), c.totalBytes());
        }
        if (r.collections().stream().anyMatch(c -> c.rawBytes() != null)) {
            String rawRow = "%-40s %14s %14s %9s%n";
            out.printf("%n" + rawRow, "TENANT/DATABASE/COLLECTION", "RAW BYTES", "STORED BYTES", "STORED/RAW");
            for (CollectionStats c : r.collections()) {
                out.printf(rawRow, c.tenant() + "/" + c.database() + "/" + c.name(),
                        c.rawBytes() == null ? "?" : c.rawBytes(), c.totalBytes(),
                        c.overhead() == null ? "-" : String.format(java.util.Locale.ROOT, "%.2fx", c.overhead()));
            }
        }
        printRetained(r, out);
        for (CollectionStats c : r.collections()) {
            if (c.warning() != null) {
                out.printf("warning: %s/%s/%s: %s%n", c.tenant(), c.database(), c.name(), c.warning());
            }
            if (c.compactionFailure() != null) {
                out.printf("compaction failing: %s/%s/%s: %s%n", c.tenant(), c.database(), c.name(), c.compactionFailure());
            }
        }
        out.printf("%ncatalog generation %d, %d collections, %d dropped awaiting GC%n", r.generation(),
                r.collections().size(), r.droppedCollections());
        out.printf("%-10s %10s %16s%n", "KIND", "OBJECTS", "BYTES");
        for (Map.Entry<String, Long> e : r.bytesByKind().entrySet()) {
            out.printf("%-10s %10d %16d%n", e.getKey(), r.objectsByKind().get(e.getKey()), e.getValue());
        }
        out.printf("%-10s %10d %16d%n", "total",
                r.objectsByKind().values().stream().mapToLong(Long::longValue).sum(), r.totalBytes());
    }
}
