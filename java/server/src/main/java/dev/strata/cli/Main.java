package dev.strata.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `strata` command: serve, and the operator subcommands. */
@Command(name = "strata", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Strata: a Chroma-compatible vector database for the JVM.",
        subcommands = {ServeCommand.class, ImportCommand.class, ExportCommand.class, CompactCommand.class,
                GcCommand.class, VerifyCommand.class, StatsCommand.class, CostCommand.class, BackupCommand.class, RestoreCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        // The library jar carries no logback.xml (embedding applications own their logging);
        // the CLI names its own configuration unless the user gave one.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "strata-logback.xml");
        }
        System.exit(commandLine(EngineOpener.DEFAULT).execute(args));
    }

    /** The command line with the given engine opener (tests pass an in-memory one). */
    public static CommandLine commandLine(EngineOpener opener) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cl = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == ServeCommand.class ? type.cast(new ServeCommand(opener)) : defaults.create(type);
            }
        });
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"strata " + (v == null ? "(development build)" : v)};
        }
    }
}
