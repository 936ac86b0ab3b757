package dev.strata.cli;

import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStores;
import dev.strata.storage.S3Encryption;
import dev.strata.storage.S3Options;
import dev.strata.storage.StorageOptions;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The storage options every command shares: the node folder and where its objects live. Credentials
 * for S3 come from the AWS SDK's default chain (environment, profile, instance role), never from the
 * command line.
 */
public final class StorageMixin {

    private static final String S3_SCHEME = "s3://";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--path", paramLabel = "DIR",
            description = "The node folder; with --storage local the objects are in DIR/objects.")
    Path path;

    @Option(names = "--storage", paramLabel = "local|s3", defaultValue = "local",
            description = "Where the objects live: local (the node folder) or s3. Default: ${DEFAULT-VALUE}.")
    String storage;

    @Option(names = "--s3-bucket", paramLabel = "BUCKET", description = "The bucket (required with --storage s3).")
    String s3Bucket;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "Endpoint of an S3-compatible store (MinIO, Ceph, R2...); AWS when absent.")
    URI s3Endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", description = "Region; the SDK's default chain when absent.")
    String s3Region;

    @Option(names = "--s3-path-style", description = "Address buckets as ENDPOINT/BUCKET/KEY (most S3-compatible stores).")
    boolean s3PathStyle;

    @Option(names = "--s3-prefix", paramLabel = "PREFIX", description = "Key prefix of every object in the bucket.")
    String s3Prefix;

    @Mixin
    S3EncryptionMixin encryption;

    /** The storage settings these options name; a usage error when they are inconsistent. */
    public StorageOptions storageOptions() {
        return switch (storage.toLowerCase(java.util.Locale.ROOT)) {
            case "local" -> {
                if (path == null) {
                    throw usage("--path is required with --storage local");
                }
                encryption();
                yield StorageOptions.local();
            }
            case "s3" -> {
                if (s3Bucket == null || s3Bucket.isBlank()) {
                    throw usage("--s3-bucket is required with --storage s3");
                }
                yield StorageOptions.s3(s3(s3Bucket, s3Prefix));
            }
            default -> throw usage("--storage must be local or s3, not '" + storage + "'");
        };
    }

    /** Whether the command line names a store (--path, or --storage s3); else a command may have nothing to read. */
    boolean named() {
        return path != null || "s3".equalsIgnoreCase(storage);
    }

    /** Opens the node's object store. */
    public ObjectStore openStore() {
        return ObjectStores.open(storageOptions(), path);
    }

    /** Opens the node's object store to write to it: --s3-sse must be possible there. */
    public ObjectStore openStoreToWrite() {
        StorageOptions options = storageOptions();
        if (options.backend() == StorageOptions.Backend.LOCAL) {
            requireS3("the node (--storage local)");
        }
        return ObjectStores.open(options, path);
    }

    /** Opens a location (see {@link #openLocation}) to write to it: --s3-sse must be possible there. */
    public ObjectStore openLocationToWrite(String location) {
        if (location != null && !location.startsWith(S3_SCHEME)) {
            requireS3("the folder " + location);
        }
        return openLocation(location);
    }

    /** Opens {@code location} when given (see {@link #openLocation}), else the node's object store. */
    public ObjectStore openStoreOr(String location) {
        return location == null ? openStore() : openLocation(location);
    }

    /**
     * Opens another location: {@code s3://bucket/prefix} (with this command's endpoint, region and
     * path-style settings) or a local folder that holds the objects directly.
     */
    public ObjectStore openLocation(String location) {
        if (location == null || location.isBlank()) {
            throw usage("a location must be a folder or s3://bucket/prefix");
        }
        if (!location.startsWith(S3_SCHEME)) {
            return new LocalObjectStore(Path.of(location));
        }
        String rest = location.substring(S3_SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw usage("no bucket in " + location + " (expected s3://bucket/prefix)");
        }
        return ObjectStores.open(StorageOptions.s3(s3(bucket, prefix)), null);
    }

    /** Options for {@code bucket}: every object the command writes there gets the encryption of the flags. */
    private S3Options s3(String bucket, String prefix) {
        return S3Options.builder(bucket).prefix(prefix).endpoint(s3Endpoint).region(s3Region)
                .pathStyle(s3PathStyle).encryption(encryption()).build();
    }

    private S3Encryption encryption() {
        try {
            return encryption.encryption();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private void requireS3(String local) {
        try {
            encryption.requireS3(local);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
