package dev.strata.cli;

import dev.strata.api.InvalidArgumentException;
import dev.strata.api.Setting;
import dev.strata.api.Settings;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStores;
import dev.strata.storage.S3Encryption;
import dev.strata.storage.StorageOptions;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The flags of the commands that open a node's object store without opening the node (verify, stats, cost, backup,
 * restore): the rows of the settings table that name the store ({@link Setting#store()}: --path, --storage, --s3-*),
 * each falling back to its STRATA_* variable as in every other command. The command adds them with
 * {@code @Command(modelTransformer = SettingOptions.StoreRows.class)}. Credentials for S3 come from
 * STRATA_S3_ACCESS_KEY_ID / STRATA_S3_SECRET_ACCESS_KEY or the AWS SDK's default chain (environment, profile,
 * instance role), never from the command line.
 */
@Command // a mixin with no annotated member must say it is one
public final class StorageMixin {

    private static final String S3_SCHEME = "s3://";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The store settings given: flags, else their variables, else the defaults (the folder only when given). */
    private record Given(Settings settings, Path path, S3Encryption encryption) {}

    private Given given() {
        Map<String, String> given = SettingOptions.given(mixee, System.getenv(), Setting::store);
        // The encryption is checked against each store a command writes (a backup of a local node may go to S3).
        String sse = given.remove(Settings.S3_SSE.env());
        String kmsKeyId = given.remove(Settings.S3_KMS_KEY_ID.env());
        try {
            Settings settings = Settings.defaults().withAll(given);
            S3Encryption encryption = S3Encryption.parse(sse, kmsKeyId, Settings.S3_SSE.env(),
                    Settings.S3_KMS_KEY_ID.env());
            return new Given(settings, given.containsKey(Settings.PATH.env()) ? settings.path() : null, encryption);
        } catch (InvalidArgumentException | IllegalArgumentException e) {
            throw usage(SettingOptions.withFlags(e.getMessage()));
        }
    }

    /** The store settings given (the encryption aside, checked per store written): flags, variables, defaults. */
    Settings settings() {
        return given().settings();
    }

    /** Whether a store is named: a folder, or storage s3. */
    public boolean named() {
        Given g = given();
        return g.path() != null || g.settings().storage() == Settings.Storage.S3;
    }

    /** The storage settings these options name; a usage error when they are inconsistent. */
    public StorageOptions storageOptions() {
        Given g = given();
        if (g.settings().storage() == Settings.Storage.LOCAL) {
            if (g.path() == null) {
                throw usage("--path (env STRATA_PATH) is required with --storage local");
            }
            return StorageOptions.local();
        }
        Settings s = g.settings();
        return StorageOptions.s3(s.s3Options(s.s3Bucket(), s.s3Prefix(), g.encryption()));
    }

    /** Opens the node's object store. */
    public ObjectStore openStore() {
        return ObjectStores.open(storageOptions(), given().path());
    }

    /** Opens the node's object store to write to it: --s3-sse must be possible there. */
    public ObjectStore openStoreToWrite() {
        StorageOptions options = storageOptions();
        if (options.backend() == StorageOptions.Backend.LOCAL) {
            requireS3("the node (--storage local)");
        }
        return ObjectStores.open(options, given().path());
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
        Given g = given();
        return ObjectStores.open(StorageOptions.s3(g.settings().s3Options(bucket, prefix, g.encryption())), null);
    }

    /**
     * Refuses encryption for a store the command writes that is a local folder, which S3 cannot encrypt.
     *
     * @param local what the local store is, e.g. "the node (--storage local)"
     */
    private void requireS3(String local) {
        S3Encryption encryption = given().encryption();
        if (encryption.enabled()) {
            throw usage("--s3-sse " + encryption.mode() + " (env STRATA_S3_SSE) needs S3 storage, but " + local
                    + " is a local folder, which S3 does not encrypt");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
