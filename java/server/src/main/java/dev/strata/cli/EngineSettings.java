package dev.strata.cli;

import java.nio.file.Path;

/**
 * What the serve command knows about the engine to open, named as the settings of DESIGN.md §8
 * (the integrator maps it onto the engine's Settings).
 *
 * @param path        the local folder: catalog, log, cache, and the objects themselves when storage is local
 * @param storage     "local" or "s3"
 * @param s3Sse       server-side encryption of every object written to S3: "none", "AES256" or "aws:kms"
 * @param s3KmsKeyId  the KMS key with "aws:kms", or null
 * @param durability  "local" (fsync) or "s3" (a write returns once its log segment is in the object store)
 * @param readOnly    serve reads of a bucket another node writes; refuse writes
 * @param queryTimeoutMs how long one read may run (STRATA_QUERY_TIMEOUT_MS)
 */
public record EngineSettings(
        Path path,
        String storage,
        String s3Bucket,
        String s3Prefix,
        String s3Endpoint,
        String s3Region,
        boolean s3PathStyle,
        String s3Sse,
        String s3KmsKeyId,
        String durability,
        int maxBatchSize,
        boolean readOnly,
        long queryTimeoutMs) {}
