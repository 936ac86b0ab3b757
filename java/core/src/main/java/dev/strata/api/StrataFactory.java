package dev.strata.api;

/**
 * Opens a {@link Strata}: the service through which {@link Strata#open} reaches an implementation without the API
 * layer importing it. The engine declares its factory in {@code META-INF/services/dev.strata.api.StrataFactory}
 * and {@link Strata#open} finds it with {@link java.util.ServiceLoader}, so the API stays a layer of types with
 * no import of the engine that implements it.
 */
public interface StrataFactory {

    /** Opens (creating when needed) a Strata with these settings. */
    Strata open(Settings settings);
}
