/**
 * The clustered (IVF) vector index of a compacted version, stored as copy-on-write blockfiles: each index
 * segment is three blockfiles (centroids, posting lists keyed by (cluster, offset) so a cluster's vectors
 * are contiguous in its blocks, and per-cluster member bitmaps). A version names a list of segments;
 * compaction adds a segment for what changed and merges segments by size (tiered), so it never rewrites
 * the whole collection. Search probes the nearest centroids of every live segment and scans the probed
 * posting blocks with the native SIMD kernels, reading block memory in place.
 * Calls blockfile, nativeio and storage; never segment, api, engine or server.
 */
package dev.strata.ivf;
