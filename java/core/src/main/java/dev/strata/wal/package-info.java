/**
 * The write-ahead log: per-collection segment files with group commit, upload of sealed segments to the
 * object store, the log index in the node's RocksDB, and recovery. Payloads are opaque bytes: the log
 * never interprets them and must not import the API, query, segment or catalog layers (only storage).
 */
package dev.strata.wal;
