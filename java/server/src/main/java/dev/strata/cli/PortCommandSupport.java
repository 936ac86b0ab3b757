package dev.strata.cli;

import dev.strata.api.StrataException;
import dev.strata.ops.port.ChromaHttpException;
import dev.strata.ops.port.CollectionCopy;
import dev.strata.ops.port.PortProgress;
import dev.strata.ops.port.TextProgressBar;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** What import and export share: the progress bar, the summary, and errors printed as one line with exit code 1. */
final class PortCommandSupport {

    private PortCommandSupport() {
    }

    static PortProgress progress(CommandSpec spec, boolean quiet) {
        if (quiet) {
            return PortProgress.NONE;
        }
        return new TextProgressBar(spec.commandLine().getErr());
    }

    /** Runs the copy, prints one line per collection on stdout; a failure is one line on stderr and exit code 1. */
    static int run(CommandSpec spec, String verb, Callable<List<CollectionCopy>> copy) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            List<CollectionCopy> copies = copy.call();
            copies.forEach(c -> out.println(c.describe()));
            long added = copies.stream().mapToLong(CollectionCopy::added).sum();
            out.println(verb + ": " + copies.size() + " collections, " + added + " records added");
            out.flush();
            return 0;
        } catch (ChromaHttpException | StrataException | IllegalArgumentException e) {
            return fail(err, verb, e.getMessage());
        } catch (Exception e) {
            return fail(err, verb, e.toString());
        }
    }

    static int fail(PrintWriter err, String verb, String message) {
        err.println("strata " + verb + ": " + message);
        err.flush();
        return 1;
    }
}
