/**
 * Segment: how a collection's records are laid out — the log batch model and materializer, and the
 * record, metadata and vector segments of a compacted version (blockfiles + HNSW), written and read here.
 * Calls blockfile, nativeio, storage (and the filter model of dev.strata.query); never api, engine or server.
 */
package dev.strata.segment;
