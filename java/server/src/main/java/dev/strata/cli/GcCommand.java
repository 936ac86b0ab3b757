package dev.strata.cli;

import dev.strata.api.Settings;
import dev.strata.api.Strata;
import dev.strata.api.StrataException;
import dev.strata.engine.EmbeddedStrata;
import dev.strata.gc.GarbageCollector;
import dev.strata.gc.GcException;
import dev.strata.gc.GcOptions;
import dev.strata.gc.GcReport;
import dev.strata.segment.VersionPins;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `strata gc [--dry-run]`: one garbage-collection pass over a stopped node, printing every key it deletes. */
@Command(name = "gc", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.NodeRows.class,
        description = "Delete now what no kept version needs (old versions past STRATA_GC_KEEP_VERSIONS and "
                + "STRATA_GC_TTL_MS, compacted log segments, dropped collections), on the local node, which must not be "
                + "serving meanwhile. Prints every key deleted; --dry-run only prints them.")
final class GcCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    NodeMixin node;

    @Option(names = "--dry-run", description = "Print what a run would delete; delete nothing.")
    boolean dryRun;

    @Option(names = "--grace-ms", paramLabel = "MS",
            description = "Unreferenced objects and dropped collections younger than this are spared (default: --gc-grace-ms,"
                    + " STRATA_GC_GRACE_MS or 600000; a writer that crashed mid-compaction may have left files a retry"
                    + " reuses).")
    Long graceMs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Settings settings = node.settings();
        GcOptions options;
        try {
            options = GcOptions.defaults().withKeepVersions(settings.gcKeepVersions())
                    .withVersionTtlMs(settings.gcTtlMs()).withVersionSpacingMs(settings.gcVersionSpacingMs())
                    .withGraceMs(graceMs != null ? graceMs : settings.gcGraceMs());
        } catch (IllegalArgumentException e) {
            return PortCommandSupport.fail(err, "gc", e.getMessage());
        }
        try (Strata strata = Strata.open(settings)) {
            if (!(strata instanceof EmbeddedStrata engine)) {
                return PortCommandSupport.fail(err, "gc", "needs the embedded engine, got " + strata.getClass().getName());
            }
            if (engine.isReadOnly()) {
                return PortCommandSupport.fail(err, "gc", "STRATA_READ_ONLY=true opens the node read-only; GC deletes"
                        + " objects, so run it on the writer's node (unset STRATA_READ_ONLY)");
            }
            // The node is stopped: no read is running, so nothing is pinned.
            GarbageCollector gc = new GarbageCollector(engine.catalog(), engine.cache(), new VersionPins(), engine.wal(), options);
            GcReport report = dryRun ? gc.dryRun() : gc.runOnce();
            out.print(report.describe());
            out.flush();
            return report.failures().isEmpty() ? 0 : 1;
        } catch (StrataException | GcException e) {
            return PortCommandSupport.fail(err, "gc", e.getMessage());
        }
    }
}
