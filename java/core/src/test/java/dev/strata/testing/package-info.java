/**
 * Test harnesses shared by every layer's tests: real protocol peers (S3Mock in a child JVM, the official Chroma server),
 * and an S3 proxy in front of S3Mock that records requests, plays IAM and corrupts bodies in transit.
 * Owns only test infrastructure; production code must never depend on it.
 * Calls storage settings types only (S3Options, StorageOptions, S3Encryption), nothing above storage.
 */
package dev.strata.testing;
