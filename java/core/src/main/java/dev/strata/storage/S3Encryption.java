package dev.strata.storage;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The server-side encryption S3 applies to every object this store writes: none (the bucket's default
 * encryption, if any, still applies), SSE-S3 ({@code AES256}, keys managed by S3) or SSE-KMS
 * ({@code aws:kms}, with a KMS key id, ARN or alias; without one S3 uses the account's {@code aws/s3} key).
 *
 * @param mode     which encryption the write requests ask for
 * @param kmsKeyId the KMS key with {@link Mode#AWS_KMS}, or null for the {@code aws/s3} key; null otherwise
 */
public record S3Encryption(Mode mode, String kmsKeyId) {

    /** No encryption header: S3 applies the bucket's default encryption. */
    public static final S3Encryption NONE = new S3Encryption(Mode.NONE, null);

    /** The values of {@code x-amz-server-side-encryption} a node may ask for. */
    public enum Mode {
        NONE("none"),
        AES256("AES256"),
        AWS_KMS("aws:kms");

        private final String value;

        Mode(String value) {
            this.value = value;
        }

        /** As written in settings and in the S3 header: {@code none}, {@code AES256}, {@code aws:kms}. */
        public String value() {
            return value;
        }

        @Override
        public String toString() {
            return value;
        }

        static String choices() {
            return Arrays.stream(values()).map(Mode::value).collect(Collectors.joining(", "));
        }
    }

    public S3Encryption {
        if (mode == null) {
            throw new IllegalArgumentException("S3 encryption mode must be one of " + Mode.choices());
        }
        kmsKeyId = kmsKeyId == null || kmsKeyId.isBlank() ? null : kmsKeyId.trim();
        if (kmsKeyId != null && mode != Mode.AWS_KMS) {
            throw new IllegalArgumentException("a KMS key id needs S3 encryption aws:kms, not " + mode);
        }
    }

    public static S3Encryption aes256() {
        return new S3Encryption(Mode.AES256, null);
    }

    /** SSE-KMS with {@code keyId} (an id, ARN or alias), or with the {@code aws/s3} key when null. */
    public static S3Encryption kms(String keyId) {
        return new S3Encryption(Mode.AWS_KMS, keyId);
    }

    /**
     * The encryption two settings name, e.g. {@code ("aws:kms", "arn:aws:kms:...")}; {@code sse} may be null
     * or empty for none and is matched ignoring case. A bad value or a key id without {@code aws:kms} is an
     * {@link IllegalArgumentException} whose message names the settings as the caller calls them
     * ({@code sseName}, {@code keyIdName}: an environment variable, a flag).
     */
    public static S3Encryption parse(String sse, String kmsKeyId, String sseName, String keyIdName) {
        String v = sse == null ? "" : sse.trim();
        Mode mode = v.isEmpty() ? Mode.NONE : Arrays.stream(Mode.values())
                .filter(m -> m.value.toLowerCase(Locale.ROOT).equals(v.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        sseName + " must be one of " + Mode.choices() + ", got \"" + sse + "\""));
        boolean keyGiven = kmsKeyId != null && !kmsKeyId.isBlank();
        if (keyGiven && mode != Mode.AWS_KMS) {
            throw new IllegalArgumentException(keyIdName + " is set but " + sseName + " is " + mode
                    + ": a KMS key needs aws:kms");
        }
        return new S3Encryption(mode, kmsKeyId);
    }

    /** Whether S3 is asked for any encryption. */
    public boolean enabled() {
        return mode != Mode.NONE;
    }

    @Override
    public String toString() {
        return kmsKeyId == null ? mode.value() : mode.value() + " (key " + kmsKeyId + ")";
    }
}
