package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Setting;
import dev.strata.api.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every row of the settings table is a flag of every command that opens a node, and every row that names the store
 * a flag of every command that opens only the store: each reaches {@link Settings} by its flag or else its variable.
 * The tests go over the table, so a new row needs no change here.
 */
class SettingFlagsTest {

    /** The commands that open a node, and those that open only its object store; every command is one or the other. */
    private static final Set<String> NODE_COMMANDS = Set.of("serve", "import", "export", "compact", "gc");
    private static final Set<String> STORE_COMMANDS = Set.of("verify", "stats", "cost", "backup", "restore");

    /**
     * Values that fit only with other settings (storage s3 needs a bucket...): the other flags each needs. A row
     * without a rule tying it to another needs no entry.
     */
    private static final Map<String, List<String>> COMPANIONS = Map.of(
            "STRATA_STORAGE", List.of("--s3-bucket", "b"),
            "STRATA_DURABILITY", List.of("--storage", "s3", "--s3-bucket", "b"),
            "STRATA_S3_SSE", List.of("--storage", "s3", "--s3-bucket", "b"),
            "STRATA_S3_KMS_KEY_ID", List.of("--storage", "s3", "--s3-bucket", "b", "--s3-sse", "aws:kms"));

    private static final Map<String, String> SAMPLES = Map.of("STRATA_S3_SSE", "AES256", "STRATA_S3_KMS_KEY_ID",
            "alias/k", "STRATA_S3_BUCKET", "b");

    @Test
    void everyCommandIsANodeOrAStoreCommand() {
        Set<String> commands = new HashSet<>(commandLine().getSubcommands().keySet());
        commands.remove("help");
        Set<String> known = new HashSet<>(NODE_COMMANDS);
        known.addAll(STORE_COMMANDS);
        assertThat(commands).containsExactlyInAnyOrderElementsOf(known);
    }

    @Test
    void everySettingIsAFlagOfEveryNodeCommandAndReachesItsSettings() {
        // Settings of the HTTP server are flags of serve only, and reach its ServerOptions.
        for (String command : NODE_COMMANDS) {
            for (Setting<?> s : Settings.TABLE) {
                if (!SettingOptions.isFlag(s)) {
                    assertThat(spec(command).findOption(s.flag())).as(command + " " + s.flag()).isNull();
                    continue;
                }
                if (s.scope() == Setting.Scope.SERVER && !command.equals("serve")) {
                    assertThat(spec(command).findOption(s.flag())).as(command + " " + s.flag()).isNull();
                    continue;
                }
                String value = sample(s);
                CommandLine cl = parse(command, s, value);
                if (s.scope() == Setting.Scope.SERVER) {
                    assertThat(SettingOptions.value(cl.getCommandSpec(), s, Map.of())).as(s.flag() + " " + value)
                            .isEqualTo(s.parse(value));
                    continue;
                }
                NodeMixin node = mixin(cl.getCommandSpec(), NodeMixin.class);
                assertThat(node.settings().get(s)).as(command + " " + s.flag() + " " + value).isEqualTo(s.parse(value));
            }
        }
    }

    @Test
    void everySettingOfTheStoreIsAFlagOfEveryStoreCommand() {
        for (String command : STORE_COMMANDS) {
            for (Setting<?> s : Settings.TABLE) {
                if (!SettingOptions.isFlag(s) || !s.store()) {
                    assertThat(spec(command).findOption(s.flag())).as(command + " " + s.flag()).isNull();
                    continue;
                }
                if (s == Settings.S3_SSE || s == Settings.S3_KMS_KEY_ID) {
                    continue; // checked against each store the command writes, not held by its Settings
                }
                String value = sample(s);
                StorageMixin storage = mixin(parse(command, s, value).getCommandSpec(), StorageMixin.class);
                assertThat(storage.settings().get(s)).as(command + " " + s.flag() + " " + value).isEqualTo(s.parse(value));
            }
        }
    }

    @Test
    void aFlagNotGivenFallsBackToItsVariableAndAGivenFlagWins() {
        CommandSpec serve = spec("serve");
        for (Setting<?> s : Settings.TABLE) {
            if (!SettingOptions.isFlag(s) || s.scope() != Setting.Scope.NODE) {
                continue;
            }
            Map<String, String> fromEnv = SettingOptions.given(serve, Map.of(s.env(), "from-env", "STRATA_PORT", "1"),
                    r -> true);
            assertThat(fromEnv).as(s.env()).containsExactly(Map.entry(s.env(), "from-env"));
        }
        CommandLine cl = parse("serve", Settings.CACHE_MEMORY_BYTES, "1000");
        assertThat(SettingOptions.given(cl.getCommandSpec(), Map.of("STRATA_CACHE_MEMORY_BYTES", "5",
                "STRATA_GC_TTL_MS", "7"), r -> true))
                .containsEntry("STRATA_CACHE_MEMORY_BYTES", "1000").containsEntry("STRATA_GC_TTL_MS", "7");
        assertThat(SettingOptions.value(spec("serve"), Settings.PORT, Map.of("STRATA_PORT", "9"))).isEqualTo(9);
        assertThat(SettingOptions.value(parse("serve", Settings.PORT, "10").getCommandSpec(), Settings.PORT,
                Map.of("STRATA_PORT", "9"))).isEqualTo(10);
    }

    @Test
    void helpNamesEachFlagsVariableAndABadValueNamesTheFlag() {
        StringWriter out = new StringWriter();
        CommandLine cl = commandLine();
        cl.setOut(new PrintWriter(out));
        cl.execute("gc", "--help");
        for (Setting<?> s : Settings.TABLE) {
            if (SettingOptions.isFlag(s) && s.scope() == Setting.Scope.NODE) {
                assertThat(out.toString().replaceAll("\\s+", " ")).contains(s.flag()).contains("env " + s.env());
            }
        }
        StringWriter err = new StringWriter();
        CommandLine bad = commandLine();
        bad.setErr(new PrintWriter(err));
        assertThat(bad.execute("compact", "--cache-memory-bytes", "lots")).isEqualTo(2);
        assertThat(err.toString()).contains("--cache-memory-bytes (env STRATA_CACHE_MEMORY_BYTES) must be a whole number");
    }

    /** docs/server.md's flag table names flags serve has, each with its own variable. */
    @Test
    void theServerDocsNameServesFlags() throws java.io.IOException {
        CommandSpec serve = spec("serve");
        java.util.regex.Pattern row = java.util.regex.Pattern.compile("^\\| `(--[a-z0-9-]+)` \\| `(STRATA_[A-Z0-9_]+)` \\|");
        int rows = 0;
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("../../docs/server.md"))) {
            java.util.regex.Matcher m = row.matcher(line);
            if (m.find()) {
                rows++;
                assertThat(serve.findOption(m.group(1))).as("serve " + m.group(1)).isNotNull();
                Settings.setting(m.group(2)).ifPresent(s -> assertThat(s.flag()).isEqualTo(m.group(1)));
            }
        }
        assertThat(rows).isPositive();
    }

    private static String sample(Setting<?> s) {
        if (SAMPLES.containsKey(s.env())) {
            return SAMPLES.get(s.env());
        }
        Object d = s.defaultValue();
        if (d instanceof Boolean b) {
            return String.valueOf(!b);
        }
        if (d instanceof Number n) {
            return String.valueOf(n.longValue() + 1);
        }
        if (d instanceof Enum<?> e) {
            Object[] all = e.getDeclaringClass().getEnumConstants();
            return all[(e.ordinal() + 1) % all.length].toString().toLowerCase(java.util.Locale.ROOT);
        }
        return s.type().equals("folder") ? "/tmp/strata-flag-test" : "x";
    }

    private static CommandLine parse(String command, Setting<?> s, String value) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(COMPANIONS.getOrDefault(s.env(), List.of()));
        args.add(s.flag() + "=" + value);
        if (command.equals("backup")) {
            args.addAll(List.of("--to", "/tmp/strata-flag-test-backup"));
        } else if (command.equals("restore")) {
            args.addAll(List.of("--from", "/tmp/strata-flag-test-backup"));
        } else if (command.equals("import")) {
            args.addAll(List.of("--from", "http://localhost:1"));
        } else if (command.equals("export")) {
            args.addAll(List.of("--to", "http://localhost:1"));
        }
        CommandLine cl = commandLine();
        cl.parseArgs(args.toArray(String[]::new));
        return cl.getSubcommands().get(command);
    }

    private static <T> T mixin(CommandSpec spec, Class<T> type) {
        return spec.mixins().values().stream().map(CommandSpec::userObject).filter(type::isInstance).map(type::cast)
                .findFirst().orElseThrow(() -> new AssertionError(spec.name() + " has no " + type.getSimpleName()));
    }

    private static CommandSpec spec(String command) {
        return commandLine().getSubcommands().get(command).getCommandSpec();
    }

    private static CommandLine commandLine() {
        return Main.commandLine(EngineOpener.DEFAULT);
    }
}
