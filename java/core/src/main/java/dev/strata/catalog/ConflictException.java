package dev.strata.catalog;

/**
 * The change contradicts the current state: a version commit whose expected version is not the current
 * one, a dimension that is already set to another value, forgetting the current version.
 */
public class ConflictException extends CatalogException {
    public ConflictException(String message) {
        super(message);
    }
}
