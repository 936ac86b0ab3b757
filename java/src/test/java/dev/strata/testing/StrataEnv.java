package dev.strata.testing;

import dev.strata.storage.S3Options;
import java.util.HashMap;
import java.util.Map;

/** The STRATA_* settings that put a node on a test bucket (for Settings.withAll or a child's environment). */
public final class StrataEnv {

    private StrataEnv() {}

    /** Storage s3 on this bucket (endpoint, region, path style, static credentials) with the durability given. */
    public static Map<String, String> onBucket(S3Options bucket, String durability) {
        Map<String, String> env = new HashMap<>();
        env.put("STRATA_STORAGE", "s3");
        env.put("STRATA_S3_BUCKET", bucket.bucket());
        env.put("STRATA_S3_ENDPOINT", bucket.endpoint().toString());
        env.put("STRATA_S3_REGION", bucket.region());
        env.put("STRATA_S3_PATH_STYLE", "true");
        env.put("STRATA_S3_ACCESS_KEY_ID", bucket.accessKeyId());
        env.put("STRATA_S3_SECRET_ACCESS_KEY", bucket.secretAccessKey());
        env.put("STRATA_DURABILITY", durability);
        return env;
    }
}
