package dev.strata.cli;

import dev.strata.ops.Backup;
import dev.strata.ops.CopyReport;
import dev.strata.storage.ObjectStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata backup --to DIR|s3://bucket/prefix}: copies the current generation, incrementally. */
@Command(name = "backup", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.StoreRows.class,
        description = {"Copies one consistent catalog generation (kept versions, their blocks, roots and index"
                + " files, the sealed log above their cursors) to a folder or bucket, the catalog manifest last.",
                "Objects the target already has with the same size are skipped."})
public final class BackupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StorageMixin storage;

    @Option(names = "--to", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX",
            description = "Where the backup goes: a folder (holding the objects) or s3://bucket/prefix"
                    + " (reached with the --s3-endpoint, --s3-region and --s3-path-style given).")
    String to;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16",
            description = "Objects copied at the same time. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    public BackupCommand() {}

    @Override
    public Integer call() {
        return OpsCommandSupport.run(spec, () -> {
            CopyReport report;
            try (ObjectStore source = storage.openStore(); ObjectStore target = storage.openLocationToWrite(to)) {
                report = new Backup(source, target, concurrency).run();
            }
            print("backed up", report, spec.commandLine().getOut());
            return OpsCommandSupport.OK;
        });
    }

    static void print(String what, CopyReport r, PrintWriter out) {
        out.printf("%s catalog generation %d: %d collections, %d versions; copied %d objects (%d bytes), skipped %d"
                        + " already present%s%n", what, r.generation(), r.collections(), r.versions(), r.objectsCopied(),
                r.bytesCopied(), r.objectsSkipped(), r.catalogCopied() ? "" : "; catalog manifest unchanged");
        out.flush();
    }
}
