/**
 * Owns the command line (picocli): `strata serve`, the operator subcommands (verify, stats, backup, restore)
 * and the flags / STRATA_* environment variables they read.
 * Opens the engine in one place ({@link dev.strata.cli.EngineOpener}) and runs the HTTP server over it.
 * Must not hold any database logic: it wires dev.strata.api and dev.strata.server together, nothing more.
 */
package dev.strata.cli;
