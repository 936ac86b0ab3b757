/**
 * Storage: the {@link dev.strata.storage.ObjectStore} abstraction (local folder, S3), the block cache,
 * admission control and request metrics. The bottom layer: it knows bytes and keys, nothing of
 * collections, logs or blocks, and calls no other Strata package.
 */
package dev.strata.storage;
