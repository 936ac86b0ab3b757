/**
 * Runnable examples, kept out of the library's jars: {@code scripts/demo} runs {@link dev.strata.examples.EngineDemo}
 * (the embedded database: ingest, filtered queries, a restart) and {@code scripts/demo hnsw} runs
 * {@link dev.strata.examples.NativeDemo} (the native HNSW index against brute force). They use only public API.
 */
package dev.strata.examples;
