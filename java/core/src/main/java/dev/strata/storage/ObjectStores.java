package dev.strata.storage;

import java.nio.file.Path;
import java.util.Objects;
import java.util.ServiceLoader;

/** Opens the object store that {@link StorageOptions} names. */
public final class ObjectStores {

    /** The folder under the node's path that holds the objects of the local backend. */
    public static final String LOCAL_OBJECTS_DIR = "objects";

    private ObjectStores() {}

    /** The artifact that holds the S3 store, named in the error when it is missing. */
    static final String S3_ARTIFACT = "dev.strata:strata-s3";

    /**
     * The store the options name: a {@link LocalObjectStore} in {@code {localPath}/objects}, or the S3 store of
     * the strata-s3 artifact, found through {@link ObjectStoreProvider}.
     *
     * @throws IllegalStateException when the options name S3 and strata-s3 is not on the class path
     */
    public static ObjectStore open(StorageOptions options, Path localPath) {
        Objects.requireNonNull(options, "options");
        return switch (options.backend()) {
            case LOCAL -> new LocalObjectStore(Objects.requireNonNull(localPath, "localPath")
                    .resolve(LOCAL_OBJECTS_DIR));
            case S3 -> provider(StorageOptions.Backend.S3, S3_ARTIFACT).open(options, localPath);
        };
    }

    private static ObjectStoreProvider provider(StorageOptions.Backend backend, String artifact) {
        for (ObjectStoreProvider p : ServiceLoader.load(ObjectStoreProvider.class, ObjectStores.class.getClassLoader())) {
            if (p.backend() == backend) {
                return p;
            }
        }
        throw new IllegalStateException("storage backend " + backend.name().toLowerCase(java.util.Locale.ROOT)
                + " is configured but its object store is not on the class path: add the artifact " + artifact);
    }
}
