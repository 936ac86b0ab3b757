/**
 * The bulk-compaction memory benchmark (scripts/bench-compact-memory): loads a collection's log through the embedded
 * API with compaction held back, so that one later compaction ({@code strata compact} in a JVM of the default heap)
 * folds every record at once. Benchmark code only: it drives the engine through its public API.
 */
package dev.strata.jmh.bulk;
