/**
 * Reliability tests: a Strata node in a child JVM killed with SIGKILL at random points, restore from a bucket, fencing.
 * Owns only test code (the child's main, the acknowledged-write model, the launcher); production code never uses it.
 * Drives the engine through the public API (dev.strata.api) and checks the bucket with dev.strata.ops.Verifier.
 */
package dev.strata.reliability;
