package dev.strata.cli;

import dev.strata.ops.CollectionStats;
import dev.strata.ops.StatsCollector;
import dev.strata.ops.StatsReport;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata stats}: collections, versions, uncompacted log and bytes per kind, as a table or JSON. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Prints collections per tenant and database (current version, kept versions, records,"
                + " dimension, sealed log vs compaction cursor) and bytes in the object store per kind; with --raw,"
                + " stored bytes against the raw bytes of the records (overhead).")
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

    public StatsCommand() {}

    @Override
    public Integer call() {
        return OpsCommandSupport.run(spec, () -> {
            output.produce(spec, storage, store -> (raw ? new StatsCollector(store).withRawBytes() : new StatsCollector(store)).collect(), StatsCommand::print);
            return OpsCommandSupport.OK;
        });
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
