package dev.strata.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `strata` command: serve, and the operator subcommands. */
@Command(name = "strata", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Strata: a Chroma-compatible vector database for the JVM.",
        subcommands = {ServeCommand.class, ImportCommand.class, ExportCommand.class, CompactCommand.class,
                GcCommand.class, VerifyCommand.class, StatsCommand.class, CostCommand.class, BackupCommand.class, RestoreCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    /** When main began (System.nanoTime), for the start-up breakdown `strata serve` prints. */
    static final long MAIN_STARTED = System.nanoTime();

    public static void main(String[] args) {
        // The library jar carries no logback.xml (embedding applications own their logging);
        // the CLI names its own configuration unless the user gave one.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "strata-logback.xml");
        }
        System.exit(run(EngineOpener.DEFAULT, args, null, null));
    }

    /**
     * Runs the command line, writing to {@code out} and {@code err} (null: picocli's, the standard streams).
     * {@code strata serve ...} builds the serve command alone: declaring the other nine commands, each with its
     * options built from the settings table, cost a fresh JVM about 130 ms of interpreted picocli (measured in
     * the start-up breakdown `strata serve` prints), which a server restarted by an orchestrator paid before it
     * listened.
     */
    static int run(EngineOpener opener, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl;
        String[] rest;
        if (args.length > 0 && args[0].equals("serve")) {
            cl = configured(new CommandLine(new ServeCommand(opener)));
            cl.getCommandSpec().name("strata serve"); // usage and errors name the command as typed
            rest = Arrays.copyOfRange(args, 1, args.length);
        } else {
            cl = commandLine(opener);
            rest = args;
        }
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        return cl.execute(rest);
    }

    /** The command line with the given engine opener (tests pass an in-memory one). */
    public static CommandLine commandLine(EngineOpener opener) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        return configured(new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == ServeCommand.class ? type.cast(new ServeCommand(opener)) : defaults.create(type);
            }
        }));
    }

    /** The parser settings every command line of `strata` shares. */
    private static CommandLine configured(CommandLine cl) {
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
