package dev.strata.catalog;

/**
 * This node may not write: another process changed the manifest since this node last read it, or the
 * node's writer lease is lost or expired. The change was not made; nothing was overwritten.
 */
public class FencedException extends CatalogException {
    public FencedException(String message) {
        super(message);
    }
}
