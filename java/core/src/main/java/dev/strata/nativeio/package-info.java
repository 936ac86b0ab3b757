/**
 * Owns the bridge to libstrata (native/): loading the library, the FFM bindings, HNSW indexes, distance kernels and Arrow C Data export.
 * The only package that touches MemorySegment addresses of native structs; everything above calls its safe wrappers.
 * Must not import any other dev.strata package: it sits at the bottom of the layers, beside storage.
 */
package dev.strata.nativeio;
