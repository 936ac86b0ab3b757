package dev.strata.storage;

import java.util.Objects;

/**
 * The storage settings of a node: which backend holds the objects and, for S3, how to reach it.
 * The default is the local folder ({@code {path}/objects}), which needs no configuration.
 *
 * @param backend where objects live
 * @param s3      the S3 settings; required when {@code backend} is {@link Backend#S3}, else null
 */
public record StorageOptions(Backend backend, S3Options s3) {

    /** Where the objects live. */
    public enum Backend {
        /** A folder under the node's path: single node, no network. */
        LOCAL,
        /** An S3 bucket (AWS or S3-compatible). */
        S3
    }

    public StorageOptions {
        Objects.requireNonNull(backend, "backend");
        if (backend == Backend.S3 && s3 == null) {
            throw new IllegalArgumentException("storage backend s3 needs S3 options (at least a bucket)");
        }
        if (backend == Backend.LOCAL && s3 != null) {
            throw new IllegalArgumentException("S3 options given but the storage backend is local");
        }
    }

    /** The local folder backend. */
    public static StorageOptions local() {
        return new StorageOptions(Backend.LOCAL, null);
    }

    /** The defaults: the local folder backend. */
    public static StorageOptions defaults() {
        return local();
    }

    public static StorageOptions s3(S3Options options) {
        return new StorageOptions(Backend.S3, options);
    }
}
