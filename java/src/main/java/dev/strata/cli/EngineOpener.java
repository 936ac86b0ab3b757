package dev.strata.cli;

import dev.strata.api.Strata;
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
     * INTEGRATION POINT: replace the body with the engine's factory, e.g.
     * {@code (settings, meters) -> Strata.open(Settings.from(settings), meters)}, once dev.strata.engine exists.
     */
    EngineOpener DEFAULT = (settings, meters) -> {
        throw new EngineUnavailableException("engine not available: this build has the HTTP server but not yet the "
                + "storage engine (Strata.open is wired by the integrator)");
    };
}
