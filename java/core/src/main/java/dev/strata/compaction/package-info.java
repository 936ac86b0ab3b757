/**
 * Compaction: turns a collection's log into the next compacted version (segments, index, manifest,
 * catalog swing, log truncation) and schedules it in the background. Calls segment, wal, catalog,
 * storage; must not import dev.strata.api, engine, query planning or server, and never deletes objects (GC does).
 */
package dev.strata.compaction;
