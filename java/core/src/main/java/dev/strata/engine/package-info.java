/**
 * Engine: the embedded client (Strata / Database / Collection) over catalog, write-ahead log and the
 * query layer; one runtime per open collection (write sequencer, log tail, pinned version).
 * Implements dev.strata.api; must not write segments, run compaction or GC (they plug in through VersionOpener).
 */
package dev.strata.engine;
