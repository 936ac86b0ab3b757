package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.FolderInUseException;
import dev.strata.api.Settings;
import dev.strata.api.Strata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node checks when it opens: its folder is its own, and the JVM has the flags it needs. */
class NodeStartChecksTest {

    @TempDir
    Path dir;

    @Test
    void aSecondNodeOnAHeldFolderIsToldWhoHoldsIt() {
        try (Strata first = Strata.open(Settings.defaults(dir))) {
            first.database().createCollection("held", null, null);
            assertThatThrownBy(() -> Strata.open(Settings.defaults(dir)))
                    .isInstanceOf(FolderInUseException.class)
                    .hasMessageContaining("is held by another Strata node")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        try (Strata again = Strata.open(Settings.defaults(dir))) {
            assertThat(again.database().getCollection("held").name()).isEqualTo("held");
        }
    }

    @Test
    void withoutTheAddOpensFlagOpenFailsAtOnceNamingIt() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                NodeStartChecksTest.class.getName(), dir.resolve("node").toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(3);
        assertThat(out).contains("--add-opens=java.base/java.nio=ALL-UNNAMED");
    }

    /** Opens a node in the folder given; exits 3 with the error's message when opening fails. */
    public static void main(String[] args) {
        try (Strata s = Strata.open(Settings.defaults(Path.of(args[0])))) {
            s.database().listCollections(null, 0);
            System.out.println("opened");
        } catch (RuntimeException e) {
            System.out.println(e.getMessage());
            System.exit(3);
        }
    }
}
