package dev.strata.api;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The {@link StrataFactory} on the class path of the API, looked up once on the first {@link Strata#open}. Without
 * one (the engine's jar is missing, or its declaration is broken) every open fails with the same clear message.
 */
final class InstalledFactory {

    private static final StrataFactory FACTORY = find();

    private InstalledFactory() {
    }

    static StrataFactory get() {
        return FACTORY;
    }

    private static StrataFactory find() {
        String declaration = "META-INF/services/" + StrataFactory.class.getName();
        try {
            Iterator<StrataFactory> found =
                    ServiceLoader.load(StrataFactory.class, StrataFactory.class.getClassLoader()).iterator();
            if (found.hasNext()) {
                return found.next();
            }
        } catch (ServiceConfigurationError e) {
            return settings -> {
                throw new InternalException("Cannot load the Strata engine declared in " + declaration + ": "
                        + e.getMessage(), e);
            };
        }
        return settings -> {
            throw new InternalException("No Strata engine on the class path: Strata.open needs dev.strata.engine"
                    + " (the dev.strata:strata-core artifact), which declares itself in " + declaration);
        };
    }
}
