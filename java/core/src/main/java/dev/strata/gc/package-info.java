/**
 * Garbage collection: decides which versions of each collection are kept and deletes the objects (blocks,
 * roots, index files, manifests, sealed log segments) that no kept or pinned version needs, after a grace period.
 * Reads the catalog, version manifests and blockfile roots; never writes data objects and never imports the API.
 */
package dev.strata.gc;
