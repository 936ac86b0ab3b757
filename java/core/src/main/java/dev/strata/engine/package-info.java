/**
 * Engine: the embedded client (Strata / Database / Collection) over catalog, write-ahead log and the
 * query layer; one runtime per open collection (write sequencer, log tail, pinned version). Implements
 * dev.strata.api (found by Strata.open through its StrataFactory service) and is the node's composition root:
 * EmbeddedStrata.open wires storage, catalog and log, and {@link dev.strata.engine.Maintenance}, the one class
 * here that builds compaction and GC objects, starts them. It must not write segment blocks, compact or collect
 * garbage itself; the rest of the engine sees only their reports (CompactionFailures, GcReport, CompactionStats,
 * GcStats).
 */
package dev.strata.engine;
