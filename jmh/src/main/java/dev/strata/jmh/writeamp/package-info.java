/**
 * The write-amplification benchmark (scripts/bench-write-amp): ingests a collection through the embedded API in
 * adds of 1,000, compacting after each, and counts the object-store bytes every compaction writes against the
 * bytes the final version stores. Benchmark code only: it drives the engine through its public API and an
 * object-store decorator, and nothing in the library depends on it.
 */
package dev.strata.jmh.writeamp;
