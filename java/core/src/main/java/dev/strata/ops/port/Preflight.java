package dev.strata.ops.port;

/** What a Chroma server announces in GET /api/v2/pre-flight-checks. */
public record Preflight(int maxBatchSize, boolean supportsBase64Encoding) {}
