package dev.strata.cli;

import dev.strata.ops.Problem;
import dev.strata.ops.Verifier;
import dev.strata.ops.VerifyReport;
import dev.strata.storage.ObjectStore;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata verify}: checks everything the catalog reaches; exits 1 when a problem (not a warning) is found. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks every object reachable from the catalog manifest: version manifests, blockfile roots"
                + " and blocks, index files and sealed log segments (checksums, decoding, keys), and lists orphans.",
                "Exit code 0 when no error is found (orphans are warnings), 1 otherwise."})
public final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StorageMixin storage;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16",
            description = "Objects read at the same time. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--location", paramLabel = "DIR|s3://BUCKET/PREFIX",
            description = "Verify this folder (holding the objects directly, such as a backup) or bucket"
                    + " instead of the node's store.")
    String location;

    public VerifyCommand() {}

    @Override
    public Integer call() {
        return OpsCommandSupport.run(spec, () -> {
            VerifyReport report;
            try (ObjectStore store = storage.openStoreOr(location)) {
                report = new Verifier(store, concurrency).verify();
            }
            if (json) {
                OpsCommandSupport.printJson(spec, report);
            } else {
                print(report, spec.commandLine().getOut());
            }
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
        out.flush();
    }
}
