package dev.strata.cli;

import dev.strata.api.InvalidArgumentException;
import dev.strata.api.Settings;
import dev.strata.api.Strata;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The flags that name a stopped node to open in process (import, export, compact, gc): its folder and where its
 * objects live. A flag not given falls back to its STRATA_* environment variable, then to the default, exactly as
 * Settings reads them (STRATA_* variables that are no setting, like STRATA_JVM_FLAGS, are ignored) (so S3 credentials come from STRATA_S3_ACCESS_KEY_ID /
 * STRATA_S3_SECRET_ACCESS_KEY or the AWS SDK's chain, never from the command line).
 */
public final class NodeMixin {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--path", paramLabel = "DIR", description = "The node folder (env STRATA_PATH, default ./strata-data).")
    Path path;

    @Option(names = "--storage", paramLabel = "local|s3", description = "Where the objects live (env STRATA_STORAGE, default local).")
    String storage;

    @Option(names = "--s3-bucket", paramLabel = "BUCKET", description = "Bucket for --storage s3 (env STRATA_S3_BUCKET).")
    String s3Bucket;

    @Option(names = "--s3-prefix", paramLabel = "PREFIX", description = "Key prefix inside the bucket (env STRATA_S3_PREFIX).")
    String s3Prefix;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3-compatible endpoint; AWS when absent (env STRATA_S3_ENDPOINT).")
    String s3Endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", description = "Region (env STRATA_S3_REGION).")
    String s3Region;

    @Option(names = "--s3-path-style", description = "Path-style bucket addressing, for MinIO and S3Mock (env STRATA_S3_PATH_STYLE).")
    Boolean s3PathStyle;

    @Mixin
    S3EncryptionMixin encryption;

    /** The environment's settings overridden by the flags given; a usage error when they do not fit together. */
    public Settings settings() {
        Map<String, String> flags = new HashMap<>();
        put(flags, "STRATA_PATH", path == null ? null : path.toString());
        put(flags, "STRATA_STORAGE", storage);
        put(flags, "STRATA_S3_BUCKET", s3Bucket);
        put(flags, "STRATA_S3_PREFIX", s3Prefix);
        put(flags, "STRATA_S3_ENDPOINT", s3Endpoint);
        put(flags, "STRATA_S3_REGION", s3Region);
        put(flags, "STRATA_S3_PATH_STYLE", s3PathStyle == null ? null : s3PathStyle.toString());
        encryption.putSettings(flags);
        Map<String, String> variables = settingVariables(System.getenv());
        variables.putAll(flags);
        try {
            return Settings.defaults().withAll(variables);
        } catch (InvalidArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }

    /** Opens the node (taking its writer lease: the node must not be serving meanwhile). */
    public Strata open() {
        return Strata.open(settings());
    }

    /** The STRATA_* variables that are settings (others, like STRATA_JVM_FLAGS, belong to scripts). */
    static Map<String, String> settingVariables(Map<String, String> environment) {
        Map<String, String> out = new HashMap<>();
        environment.forEach((name, value) -> {
            if (Settings.NAMES.contains(name)) {
                out.put(name, value);
            }
        });
        return out;
    }

    private static void put(Map<String, String> flags, String name, String value) {
        if (value != null) {
            flags.put(name, value);
        }
    }
}
