package dev.strata.cli;

import dev.strata.storage.ObjectStore;
import java.io.PrintWriter;
import java.util.function.BiConsumer;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Options of the commands that read a store and print a report: which store, and table or JSON. */
public final class ReportMixin {

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--location", paramLabel = "DIR|s3://BUCKET/PREFIX",
            description = "Read this folder (holding the objects directly, such as a backup) or bucket"
                    + " instead of the node's store.")
    String location;

    /** Builds the report from the chosen store, then prints it as JSON or with {@code table}. */
    <R> R produce(CommandSpec spec, StorageMixin storage, Function<ObjectStore, R> reader,
                  BiConsumer<R, PrintWriter> table) {
        R report = read(storage, reader);
        OpsCommandSupport.printReport(spec, json, report, table);
        return report;
    }

    /** Builds the report from the chosen store. */
    <R> R read(StorageMixin storage, Function<ObjectStore, R> reader) {
        try (ObjectStore store = storage.openStoreOr(location)) {
            return reader.apply(store);
        }
    }
}
