/**
 * Benchmarks of Strata's native HNSW and clustered (IVF) index against Lucene's and JVector's HNSW at equal recall, and of the distance kernel against memory bandwidth.
 * Owns the shared clustered-vector data sets (ClusteredVectors, AnnDataset) and one adapter per ANN library (AnnIndex).
 * Benchmark code only: it calls the public API of dev.strata.nativeio and (for the clustered index) dev.strata.ivf and dev.strata.storage and must not reach into Strata's internals or be used by the server.
 */
package dev.strata.jmh.ann;
