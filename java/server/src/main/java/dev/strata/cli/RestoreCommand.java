package dev.strata.cli;

import dev.strata.ops.Backup;
import dev.strata.ops.CopyReport;
import dev.strata.storage.ObjectStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata restore --from DIR|s3://bucket/prefix}: copies a backup into this node's (empty) store. */
@Command(name = "restore", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.StoreRows.class,
        description = {"Copies a backup into the node's object store (--path / --storage), the catalog manifest"
                + " last. Refuses a store that already holds objects unless --force.",
                "Start the node on a fresh --path: its local catalog and log are rebuilt from the restored bucket."})
public final class RestoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StorageMixin storage;

    @Option(names = "--from", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX",
            description = "The backup: a folder or s3://bucket/prefix.")
    String from;

    @Option(names = "--force", description = "Restore into a store that is not empty (objects with the same key"
            + " are overwritten, others are left).")
    boolean force;

    public RestoreCommand() {}

    @Override
    public Integer call() {
        return OpsCommandSupport.run(spec, () -> {
            CopyReport report;
            try (ObjectStore backup = storage.openLocation(from); ObjectStore node = storage.openStoreToWrite()) {
                report = Backup.restore(backup, node, force);
            }
            BackupCommand.print("restored", report, spec.commandLine().getOut());
            return OpsCommandSupport.OK;
        });
    }
}
