/**
 * Catalog: tenants, databases, collections, their version history and log cursors, and the writer lease.
 * The object store's manifest is the truth (written first, by compare-and-swap); RocksDB is the node's copy.
 * Calls only {@code dev.strata.storage}; knows nothing of segments, blocks, the log's bytes or the API.
 */
package dev.strata.catalog;
