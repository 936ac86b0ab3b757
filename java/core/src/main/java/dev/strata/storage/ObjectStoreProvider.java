package dev.strata.storage;

import java.nio.file.Path;

/**
 * Opens the object store of one {@link StorageOptions.Backend} that lives in another artifact, found with
 * {@link java.util.ServiceLoader}: strata-core holds the local store and names this interface, strata-s3
 * implements it for {@link StorageOptions.Backend#S3}, so an application that keeps its objects in a local
 * folder has no S3 client on its class path.
 */
public interface ObjectStoreProvider {

    /** The backend this provider opens. */
    StorageOptions.Backend backend();

    /**
     * The store the options name.
     *
     * @param options   settings whose {@link StorageOptions#backend()} is {@link #backend()}
     * @param localPath the node's folder (a remote store may use it for nothing)
     */
    ObjectStore open(StorageOptions options, Path localPath);
}
