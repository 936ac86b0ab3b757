package dev.strata.catalog;

/** The named tenant, database or collection does not exist (Chroma: 404 NotFoundError). */
public class NotFoundException extends CatalogException {
    public NotFoundException(String message) {
        super(message);
    }
}
