package dev.strata.storage;

import java.nio.file.Path;

/** Opens an {@link S3ObjectStore} for {@link ObjectStores} (registered in META-INF/services). */
public final class S3ObjectStoreProvider implements ObjectStoreProvider {

    @Override
    public StorageOptions.Backend backend() {
        return StorageOptions.Backend.S3;
    }

    @Override
    public ObjectStore open(StorageOptions options, Path localPath) {
        return new S3ObjectStore(options.s3());
    }
}
