package dev.strata.testing;

import dev.strata.api.Settings;
import dev.strata.storage.S3Options;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Engine settings for a node in {@code path} whose storage is a test bucket (S3Mock), by their STRATA_* names. */
public final class BucketSettings {

    private BucketSettings() {}

    /** The STRATA_STORAGE=s3 variables that point a node at {@code bucket}. */
    public static Map<String, String> of(S3Options bucket) {
        Map<String, String> env = new HashMap<>();
        env.put("STRATA_STORAGE", "s3");
        env.put("STRATA_S3_BUCKET", bucket.bucket());
        env.put("STRATA_S3_ENDPOINT", bucket.endpoint().toString());
        env.put("STRATA_S3_REGION", bucket.region());
        env.put("STRATA_S3_PATH_STYLE", "true");
        env.put("STRATA_S3_ACCESS_KEY_ID", bucket.accessKeyId());
        env.put("STRATA_S3_SECRET_ACCESS_KEY", bucket.secretAccessKey());
        return env;
    }

    /** The variables of {@link #of(S3Options)} with STRATA_DURABILITY (for Settings.withAll or a child's environment). */
    public static Map<String, String> of(S3Options bucket, String durability) {
        Map<String, String> env = of(bucket);
        env.put("STRATA_DURABILITY", durability);
        return env;
    }

    /** Default settings in {@code path} on {@code bucket}, with durability s3. */
    public static Settings durable(Path path, S3Options bucket) {
        return Settings.defaults(path).withAll(of(bucket, "s3"));
    }
}
