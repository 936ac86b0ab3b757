package dev.strata.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.strata.catalog.CatalogException;
import dev.strata.storage.ObjectStoreException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What the operator commands share: exit codes, JSON output, and errors printed as one line, not a stack trace. */
final class OpsCommandSupport {

    /** The command did what was asked and found nothing wrong. */
    static final int OK = 0;
    /** Verification found a problem, or the operation failed (the reason is printed). */
    static final int FAILED = 1;

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private OpsCommandSupport() {}

    /** Runs the body; a failure of the store or of the data is printed to stderr and gives {@link #FAILED}. */
    static int run(CommandSpec spec, Callable<Integer> body) {
        try {
            return body.call();
        } catch (ParameterException e) {
            throw e; // picocli prints usage errors with the command's help and exits 2
        } catch (ObjectStoreException | CatalogException | IllegalArgumentException | IllegalStateException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("error: " + e.getMessage());
            err.flush();
            return FAILED;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints a report as JSON, or as the table {@code table} writes. */
    static <R> void printReport(CommandSpec spec, boolean json, R report, java.util.function.BiConsumer<R, PrintWriter> table) {
        if (json) {
            printJson(spec, report);
            return;
        }
        PrintWriter out = spec.commandLine().getOut();
        table.accept(report, out);
        out.flush();
    }

    static void printJson(CommandSpec spec, Object value) {
        PrintWriter out = spec.commandLine().getOut();
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print " + value.getClass().getSimpleName() + " as JSON", e);
        }
        out.flush();
    }
}
