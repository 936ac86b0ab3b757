/**
 * Fault tests of the whole engine: a failing object store (errors, throttling, timeouts, resets), a full
 * or read-only disk under the log. They open Strata through its public entry points and check what a
 * client sees and that no acknowledged write is lost; they must not reach into a layer's internals.
 */
package dev.strata.faults;
