/**
 * Operator tools, part of the maintenance layer: verify, backup / restore and stats of a bucket.
 * Reads the object store, the catalog manifest, version manifests, blockfiles, index files and logs;
 * never used by the read/write path, and must not import the API, server or engine layers.
 */
package dev.strata.ops;
