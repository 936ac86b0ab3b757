package dev.strata.cli;

import dev.strata.storage.S3Encryption;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The server-side encryption flags of every command that opens storage (serve, the offline and the operator
 * commands): what S3 applies to each object the command writes. Each falls back to its STRATA_* variable.
 */
public final class S3EncryptionMixin {

    @Option(names = "--s3-sse", paramLabel = "none|AES256|aws:kms", defaultValue = "${env:STRATA_S3_SSE}",
            description = "Server-side encryption of every object written to S3: none (the bucket's default), AES256 "
                    + "(SSE-S3) or aws:kms (SSE-KMS) (env STRATA_S3_SSE, default none).")
    String sse;

    @Option(names = "--s3-kms-key-id", paramLabel = "KEY", defaultValue = "${env:STRATA_S3_KMS_KEY_ID}",
            description = "KMS key id, ARN or alias for --s3-sse aws:kms; the account's aws/s3 key when absent "
                    + "(env STRATA_S3_KMS_KEY_ID).")
    String kmsKeyId;

    /**
     * The encryption the flags name.
     *
     * @throws IllegalArgumentException naming the flag, for a bad value or a key id without aws:kms
     */
    S3Encryption encryption() {
        return S3Encryption.parse(sse, kmsKeyId, "--s3-sse (env STRATA_S3_SSE)",
                "--s3-kms-key-id (env STRATA_S3_KMS_KEY_ID)");
    }

    /**
     * Refuses encryption for a store the command writes that is a local folder, which S3 cannot encrypt.
     *
     * @param local what the local store is, e.g. "the node (--storage local)"
     */
    void requireS3(String local) {
        S3Encryption encryption = encryption();
        if (encryption.enabled()) {
            throw new IllegalArgumentException("--s3-sse " + encryption.mode() + " (env STRATA_S3_SSE) needs S3 "
                    + "storage, but " + local + " is a local folder, which S3 does not encrypt");
        }
    }

    /** Adds the flags given as STRATA_S3_SSE / STRATA_S3_KMS_KEY_ID settings (Settings checks them). */
    void putSettings(Map<String, String> settings) {
        if (sse != null) {
            settings.put("STRATA_S3_SSE", sse);
        }
        if (kmsKeyId != null) {
            settings.put("STRATA_S3_KMS_KEY_ID", kmsKeyId);
        }
    }
}
