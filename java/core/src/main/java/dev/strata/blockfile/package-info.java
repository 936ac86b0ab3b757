/**
 * Blockfiles: sorted (prefix, typed key) → value files made of immutable Arrow IPC blocks plus a root
 * (sparse index of first keys), written copy-on-write. Calls only {@code dev.strata.storage};
 * knows nothing of collections, segments, the log or the API above it.
 */
package dev.strata.blockfile;
