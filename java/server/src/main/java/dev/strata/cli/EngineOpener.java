package dev.strata.cli;

import dev.strata.api.Settings;
import dev.strata.api.Strata;
import dev.strata.engine.EmbeddedStrata;
import io.micrometer.core.instrument.MeterRegistry;

/** Opens the engine the server runs over; the one place where the CLI meets the engine. */
@FunctionalInterface
public interface EngineOpener {

    /**
     * @param meters the registry that /metrics exposes: the engine registers its meters here
     *               (strata_object_store_requests_total, cache hit ratio, log size, compaction and GC runs)
     * @throws EngineUnavailableException when the engine cannot be opened
     */
    Strata open(EngineSettings settings, MeterRegistry meters);

    /**
     * The embedded engine: the process environment's STRATA_* settings (compaction, GC, cache, ...)
     * overridden by the serve flags, with the engine's meters on the server's registry.
     */
    EngineOpener DEFAULT = (settings, meters) -> {
        java.util.Map<String, String> flags = new java.util.HashMap<>();
        flags.put("STRATA_PATH", settings.path().toString());
        flags.put("STRATA_STORAGE", settings.storage());
        flags.put("STRATA_DURABILITY", settings.durability());
        flags.put("STRATA_S3_PATH_STYLE", Boolean.toString(settings.s3PathStyle()));
        flags.put("STRATA_MAX_BATCH_SIZE", Integer.toString(settings.maxBatchSize()));
        flags.put("STRATA_READ_ONLY", Boolean.toString(settings.readOnly()));
        flags.put("STRATA_QUERY_TIMEOUT_MS", Long.toString(settings.queryTimeoutMs()));
        putIfGiven(flags, "STRATA_S3_BUCKET", settings.s3Bucket());
        putIfGiven(flags, "STRATA_S3_PREFIX", settings.s3Prefix());
        putIfGiven(flags, "STRATA_S3_ENDPOINT", settings.s3Endpoint());
        putIfGiven(flags, "STRATA_S3_REGION", settings.s3Region());
        putIfGiven(flags, "STRATA_S3_SSE", settings.s3Sse());
        putIfGiven(flags, "STRATA_S3_KMS_KEY_ID", settings.s3KmsKeyId());
        try {
            return EmbeddedStrata.open(Settings.fromEnvironment().withAll(flags)).bindMetrics(meters);
        } catch (dev.strata.api.StrataException e) {
            // A bad setting, a lease held by another node, an unreachable bucket: one clear line.
            throw new EngineUnavailableException("cannot open " + settings.path() + ": " + e.getMessage());
        }
    };

    private static void putIfGiven(java.util.Map<String, String> flags, String name, String value) {
        if (value != null) {
            flags.put(name, value);
        }
    }
}
