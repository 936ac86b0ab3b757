/**
 * Test harnesses shared by every layer's tests: real protocol peers (S3Mock in a child JVM, the official Chroma server).
 * Owns only test infrastructure; production code must never depend on it.
 * Calls storage settings types only (S3Options, StorageOptions), nothing above storage.
 */
package dev.strata.testing;
