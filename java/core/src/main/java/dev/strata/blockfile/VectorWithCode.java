package dev.strata.blockfile;

/**
 * A float32 vector stored with a byte code of the same length (e.g. its 8-bit scalar quantization, so a
 * scan can read the quarter-size codes first and rerank a few rows with the exact vectors). The blockfile
 * stores both as given: what the code means is the caller's business. Do not modify the arrays after
 * {@code set}: the writer copies them, a read returns its own.
 */
public record VectorWithCode(float[] vector, byte[] code) {}
