/**
 * Segment: how a collection's records are laid out — the log batch model and materializer, and the
 * record, metadata and vector segments of a compacted version (blockfiles + HNSW), written and read here.
 * Calls blockfile, ivf, nativeio, storage and dev.strata.filter; never query, api, engine or server.
 */
package dev.strata.segment;
