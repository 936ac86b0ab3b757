/**
 * Storage: the {@link dev.strata.storage.ObjectStore} abstraction (local folder, S3 with server-side encryption and
 * CRC32C checksums on every write; the S3 store and its AWS SDK live in the strata-s3 artifact, in this package,
 * and are found through {@link dev.strata.storage.ObjectStoreProvider}), the block cache
 * (memory and disk tiers), admission control and request metrics (its test decorators, latency and faults, are in
 * strata-core's test jar). It also
 * holds the two things every layer above shares about bytes at rest: the bucket's layout
 * ({@link dev.strata.storage.ObjectLayout}, the one place an object key is built or parsed) and the checks of
 * every file format ({@link dev.strata.storage.FileFormat}: magic, readable versions, CRC32C, and
 * {@link dev.strata.storage.UnsupportedFormatVersionException} for data a newer Strata wrote).
 * The bottom layer: it knows bytes and the names of keys, not what collections, logs or blocks hold, and calls
 * no other Strata package.
 */
package dev.strata.storage;
