package dev.strata.cli;

import dev.strata.ops.Problem;
import dev.strata.ops.Verifier;
import dev.strata.ops.VerifyReport;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata verify}: checks everything the catalog reaches; exits 1 when a problem (not a warning) is found. */
@Command(name = "verify", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.StoreRows.class,
        description = {"Checks every object reachable from the catalog manifest: version manifests, blockfile roots"
                + " and blocks, index files and sealed log segments (checksums, decoding, keys), and lists orphans.",
                "Exit code 0 when no error is found (orphans are warnings), 1 otherwise."})
public final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StorageMixin storage;

    @Mixin
    ReportMixin output;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16",
            description = "Objects read at the same time. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    public VerifyCommand() {}

    @Override
    public Integer call() {
        return OpsCommandSupport.run(spec, () -> {
            VerifyReport report = output.produce(spec, storage, store -> new Verifier(store, concurrency).verify(),
                    VerifyCommand::print);
            return report.ok() ? OpsCommandSupport.OK : OpsCommandSupport.FAILED;
        });
    }

    private static void print(VerifyReport r, PrintWriter out) {
        for (Problem p : r.problems()) {
            out.println(p);
        }
        StringBuilder counts = new StringBuilder();
        for (Map.Entry<Problem.Kind, Long> e : r.countsByKind().entrySet()) {
            counts.append(counts.isEmpty() ? "" : ", ").append(e.getKey().name().toLowerCase()).append(' ')
                    .append(e.getValue());
        }
        out.printf("catalog generation %d: %d collections, %d versions, %d objects checked (%d bytes); %s%n",
                r.generation(), r.collections(), r.versions(), r.objectsChecked(), r.bytesChecked(), counts);
        out.println(r.ok() ? "OK" : "FAILED: " + r.errors().size() + " problem(s)");
    }
}
