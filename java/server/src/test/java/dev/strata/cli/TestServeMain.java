package dev.strata.cli;

import dev.strata.server.InMemoryStrata;

/** `strata` with the in-memory engine double, for the process-level tests of serve (env vars, signals). */
public final class TestServeMain {

    private TestServeMain() {}

    public static void main(String[] args) {
        System.exit(Main.commandLine((settings, meters) -> new InMemoryStrata()).execute(args));
    }
}
