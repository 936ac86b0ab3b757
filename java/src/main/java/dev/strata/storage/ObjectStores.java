package dev.strata.storage;

import java.nio.file.Path;
import java.util.Objects;

/** Opens the object store that {@link StorageOptions} names. */
public final class ObjectStores {

    /** The folder under the node's path that holds the objects of the local backend. */
    public static final String LOCAL_OBJECTS_DIR = "objects";

    private ObjectStores() {}

    /**
     * The store the options name: a {@link LocalObjectStore} in {@code {localPath}/objects}, or an
     * {@link S3ObjectStore} (which uses {@code localPath} for nothing).
     */
    public static ObjectStore open(StorageOptions options, Path localPath) {
        Objects.requireNonNull(options, "options");
        return switch (options.backend()) {
            case LOCAL -> new LocalObjectStore(Objects.requireNonNull(localPath, "localPath")
                    .resolve(LOCAL_OBJECTS_DIR));
            case S3 -> new S3ObjectStore(options.s3());
        };
    }
}
