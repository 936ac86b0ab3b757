/**
 * Storage: the {@link dev.strata.storage.ObjectStore} abstraction (local folder, S3 with server-side encryption and
 * CRC32C checksums on every write; the S3 store and its AWS SDK live in the strata-s3 artifact, in this package,
 * and are found through {@link dev.strata.storage.ObjectStoreProvider}), the block cache
 * (memory and disk tiers), admission control, request metrics and test decorators (latency, faults).
 * The bottom layer: it knows bytes and keys, nothing of collections, logs or blocks, and calls no other Strata package.
 */
package dev.strata.storage;
