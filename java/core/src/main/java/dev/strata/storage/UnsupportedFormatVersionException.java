package dev.strata.storage;

/**
 * An object or file is in a format version this build does not read because a newer Strata wrote it:
 * not damage, so it is kept apart from {@link CorruptObjectException}. Upgrading Strata reads it.
 */
public class UnsupportedFormatVersionException extends ObjectStoreException {
    private final String format;
    private final int version;
    private final int newestReadable;

    public UnsupportedFormatVersionException(String key, String format, int version, int oldestReadable, int newestReadable) {
        super(format + " format version " + version + " was written by a newer Strata: this one reads versions "
                + oldestReadable + " to " + newestReadable + "; upgrade Strata to read it", key);
        this.format = format;
        this.version = version;
        this.newestReadable = newestReadable;
    }

    /** The format's name ("block", "version manifest", ...). */
    public String format() {
        return format;
    }

    /** The version the object says it is in. */
    public int version() {
        return version;
    }

    /** The newest version of this format this build reads. */
    public int newestReadable() {
        return newestReadable;
    }
}
