package dev.strata.catalog;

/** Base of the catalog's typed errors; the API layer maps each subclass to one Chroma error. */
public class CatalogException extends RuntimeException {
    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
