package dev.strata.catalog;

/** A tenant, database or collection of that name already exists where it must be unique (Chroma: 409). */
public class AlreadyExistsException extends CatalogException {
    public AlreadyExistsException(String message) {
        super(message);
    }
}
