/**
 * Query: the log tail (uncompacted writes applied in memory over a pinned version, exact SIMD k-NN, filters
 * evaluated on its records) and the read executor that merges it with the compacted version.
 * May call segment, filter, nativeio and the layers below; must not import dev.strata.api, engine or server.
 */
package dev.strata.query;
