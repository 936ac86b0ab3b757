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
    Strata open(Settings settings, MeterRegistry meters);

    /** The embedded engine, with the engine's meters on the server's registry. */
    EngineOpener DEFAULT = (settings, meters) -> {
        try {
            return EmbeddedStrata.open(settings).bindMetrics(meters);
        } catch (dev.strata.api.StrataException e) {
            // A lease held by another node, an unreachable bucket: one clear line.
            throw new EngineUnavailableException("cannot open " + settings.path() + ": " + e.getMessage());
        }
    };
}
