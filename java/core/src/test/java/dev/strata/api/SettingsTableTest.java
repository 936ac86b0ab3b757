package dev.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The settings table is the one place a setting is declared: these tests go over every row, so a new row needs no
 * change here, and they fail when the docs, the native library or the Java code name a setting the table lacks.
 * A stale docs table is rewritten by running this test with {@code -Dstrata.docs.write=true}.
 */
class SettingsTableTest {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path ENGINE_DOC = ROOT.resolve("docs/engine.md");
    private static final String BEGIN = "<!-- settings table: generated from Settings.TABLE by SettingsTableTest -->";
    private static final String END = "<!-- end of settings table -->";

    @Test
    void everyRowHasItsOwnNameFlagAndDoc() {
        Set<String> envs = new HashSet<>();
        Set<String> flags = new HashSet<>();
        for (Setting<?> s : Settings.TABLE) {
            assertThat(envs.add(s.env())).as("one row per variable: " + s).isTrue();
            assertThat(flags.add(s.flag())).as("one row per flag: " + s).isTrue();
            assertThat(s.env()).as(s.env()).matches("STRATA_[A-Z0-9_]+");
            assertThat(s.doc()).as("doc of " + s).isNotBlank();
            assertThat(s.defaultText()).as("default shown for " + s).isNotBlank();
        }
        assertThat(Settings.NAMES).containsExactlyElementsOf(Settings.TABLE.stream()
                .filter(s -> s.scope() == Setting.Scope.NODE).map(Setting::env).toList());
    }

    @Test
    void defaultsHoldEveryRowsDefaultAndEachRowIsReadByItsVariable() {
        Settings defaults = Settings.defaults();
        for (Setting<?> s : Settings.TABLE) {
            if (s.scope() != Setting.Scope.NODE) {
                assertThatThrownBy(() -> defaults.with(s.env(), "1")).isInstanceOf(InvalidArgumentException.class)
                        .hasMessageContaining(s.env()).hasMessageContaining("not");
                continue;
            }
            String defaultText = defaults.get(s) == null ? "" : String.valueOf(defaults.get(s));
            assertThat(defaults.withAll(java.util.Map.of(s.env(), defaultText))).as(s.env()).isEqualTo(defaults);
            if ("number".equals(s.type())) {
                assertThatThrownBy(() -> defaults.with(s.env(), "many")).isInstanceOf(InvalidArgumentException.class)
                        .hasMessageContaining("Setting " + s.env() + " must be a whole number");
                assertThatThrownBy(() -> defaults.with(s.env(), "-1")).as(s.env())
                        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining(s.env());
            }
            if (s.isSwitch()) {
                assertThatThrownBy(() -> defaults.with(s.env(), "maybe")).isInstanceOf(InvalidArgumentException.class)
                        .hasMessageContaining("Setting " + s.env() + " must be true or false");
            }
        }
    }

    @Test
    void secretsAreNeverPrinted() {
        Settings s = Settings.defaults().withAll(java.util.Map.of("STRATA_S3_ACCESS_KEY_ID", "AKIA1",
                "STRATA_S3_SECRET_ACCESS_KEY", "very-secret"));
        assertThat(s.toString()).contains("s3AccessKeyId=***").doesNotContain("very-secret").contains("cacheMemoryBytes=");
    }

    @Test
    void theDocsTableIsTheTable() throws IOException {
        String doc = Files.readString(ENGINE_DOC);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as(ENGINE_DOC + " marks its settings table with " + BEGIN).isNotNegative();
        assertThat(end).as(ENGINE_DOC + " ends its settings table with " + END).isGreaterThan(begin);
        String expected = doc.substring(0, begin + BEGIN.length()) + "\n" + markdown() + doc.substring(end);
        if (!expected.equals(doc) && Boolean.getBoolean("strata.docs.write")) {
            Files.writeString(ENGINE_DOC, expected);
            doc = expected;
        }
        assertThat(doc).as("docs/engine.md's settings table is stale: run SettingsTableTest with"
                + " -Dstrata.docs.write=true").isEqualTo(expected);
    }

    @Test
    void theReadmeNamesOnlySettingsOfTheTable() throws IOException {
        Set<String> named = new TreeSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
            if (line.startsWith("| `STRATA_")) {
                Matcher m = Pattern.compile("`(STRATA_[A-Z0-9_]+)`").matcher(line.substring(0, line.indexOf(" |", 2)));
                while (m.find()) {
                    named.add(m.group(1));
                }
            }
        }
        assertThat(named).as("the README's settings table").isNotEmpty();
        assertThat(Settings.NAMES).containsAll(named);
    }

    /**
     * Every STRATA_* variable the Java code reads by name is a row; libstrata reads none (its settings are rows
     * of the process, passed on by the engine), and every process row is passed on by engine.ProcessSettings.
     */
    @Test
    void everyVariableTheCodeReadsIsARow() throws IOException {
        Pattern getenv = Pattern.compile("getenv\\(\"(STRATA_[A-Z0-9_]+)\"\\)");
        assertThat(namesRead(ROOT.resolve("native/src"), getenv)).as("variables libstrata reads").isEmpty();
        Set<String> read = new TreeSet<>();
        for (String module : List.of("core", "s3", "server", "native", "langchain4j", "spring-ai")) {
            read.addAll(namesRead(ROOT.resolve("java/" + module + "/src/main"), getenv));
        }
        List<String> rows = Settings.TABLE.stream().map(Setting::env).toList();
        assertThat(rows).containsAll(read);
        String passedOn = read(ROOT.resolve("java/core/src/main/java/dev/strata/engine/ProcessSettings.java"));
        for (Setting<?> s : Settings.TABLE) {
            if (s.scope() == Setting.Scope.PROCESS) {
                String constant = Arrays.stream(Settings.class.getFields()).filter(f -> {
                    try {
                        return f.get(null) == s;
                    } catch (IllegalAccessException e) {
                        return false;
                    }
                }).findFirst().orElseThrow().getName();
                assertThat(passedOn).as(s.env() + " is passed on").contains("Settings." + constant);
            }
        }
    }

    private static Set<String> namesRead(Path dir, Pattern getenv) throws IOException {
        Set<String> out = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Matcher m = getenv.matcher(read(f));
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table as docs/engine.md shows it. */
    static String markdown() {
        List<String> lines = new ArrayList<>();
        lines.add("| variable | flag | default | unit | meaning |");
        lines.add("|---|---|---|---|---|");
        for (Setting<?> s : Settings.TABLE) {
            String flag = s.scope() == Setting.Scope.PROCESS ? "(process environment only)"
                    : s.secret() ? "(environment only: a secret)"
                    : s.scope() == Setting.Scope.SERVER ? "`" + s.flag() + "` (serve)" : "`" + s.flag() + "`";
            lines.add("| `" + s.env() + "` | " + flag + " | " + s.defaultText() + " | " + s.unit() + " | "
                    + s.doc() + " |");
        }
        return String.join("\n", lines) + "\n";
    }
}
