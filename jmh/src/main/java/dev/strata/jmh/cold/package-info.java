/**
 * The cold-read benchmark (scripts/bench-cold): loads a collection into S3Mock, then opens a node with an
 * empty folder behind injected per-request latency and records every object-store request, to report the
 * time to a first answer and its sequential round trips. Benchmark code only: it drives the engine through
 * its public API and the storage decorators, and nothing in the library depends on it.
 */
package dev.strata.jmh.cold;
