/**
 * Benchmarks of Strata's native HNSW against Lucene's and JVector's at equal recall, and of the distance kernel against memory bandwidth.
 * Owns the shared clustered-vector data sets (ClusteredVectors, AnnDataset) and one adapter per ANN library (AnnIndex).
 * Benchmark code only: it calls dev.strata.nativeio's public API and must not reach into Strata's internals or be used by the server.
 */
package dev.strata.jmh.ann;
