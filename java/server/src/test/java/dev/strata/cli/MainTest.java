package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** `strata serve` is parsed by the serve command alone; every other command still by the whole tree. */
class MainTest {

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(EngineOpener.DEFAULT, args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void serveAloneNamesItselfAsTypedInUsageAndErrors() {
        Run help = run("serve", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: strata serve").contains("--port").contains("--cache-memory-bytes");

        Run bad = run("serve", "--no-such-flag");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("Unknown option: '--no-such-flag'").contains("Usage: strata serve");

        Run badValue = run("serve", "--port", "not-a-number");
        assertThat(badValue.code()).isEqualTo(2);
        assertThat(badValue.err()).contains("--port");
    }

    @Test
    void theOtherCommandsGoThroughTheWholeTree() {
        Run top = run("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("serve").contains("stats").contains("verify");
        Run stats = run("stats", "--help");
        assertThat(stats.code()).isZero();
        assertThat(stats.out()).startsWith("Usage: strata stats");
        assertThat(run("no-such-command").code()).isEqualTo(2);
    }
}
