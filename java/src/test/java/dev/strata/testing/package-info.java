/**
 * Test harnesses shared by every layer's tests: a real S3 protocol peer (S3Mock in a child JVM).
 * Owns only test infrastructure; production code must never depend on it.
 * Calls storage settings types only (S3Options, StorageOptions), nothing above storage.
 */
package dev.strata.testing;
