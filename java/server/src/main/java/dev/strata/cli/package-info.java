/**
 * Owns the command line (picocli): `strata serve`, the offline commands (import, export, compact, gc) and the
 * operator commands (verify, stats, backup, restore), with the flags / STRATA_* variables they read.
 * Opens the engine for serve in one place ({@link dev.strata.cli.EngineOpener}); the offline commands open a stopped node.
 * Must not hold any database logic: it wires dev.strata.api, server, ops and gc together, nothing more.
 */
package dev.strata.cli;
