package dev.strata.engine;

import dev.strata.api.Settings;
import dev.strata.api.Strata;
import dev.strata.api.StrataFactory;

/**
 * The engine as the API's {@link StrataFactory}: what {@link Strata#open} opens, declared in
 * META-INF/services/dev.strata.api.StrataFactory. Public with a no-argument constructor for ServiceLoader.
 */
public final class EngineFactory implements StrataFactory {

    @Override
    public Strata open(Settings settings) {
        return EmbeddedStrata.open(settings);
    }
}
