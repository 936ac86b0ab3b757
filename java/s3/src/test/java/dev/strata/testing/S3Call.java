package dev.strata.testing;

import dev.strata.storage.S3Encryption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request a client sent to S3 through {@link S3Proxy}, and what came back.
 *
 * @param operation       the S3 operation the request is
 * @param method          HTTP method
 * @param path            request path, {@code /bucket/key}
 * @param requestHeaders  request headers, names in lower case, first value of each
 * @param status          the status the client got (403 for a request the policy refused)
 * @param responseHeaders the store's response headers, names in lower case, first value of each
 * @param refused         the proxy's policy refused the request: it never reached the store
 */
public record S3Call(S3Operation operation, String method, String path, Map<String, String> requestHeaders,
                     int status, Map<String, String> responseHeaders, boolean refused) {

    /** A request header, or null. */
    public String header(String name) {
        return requestHeaders.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** Whether this request writes object content (PUT, a multipart upload's creation, parts and completion). */
    public boolean writes() {
        return switch (operation) {
            case PUT_OBJECT, COPY_OBJECT, CREATE_MULTIPART_UPLOAD, UPLOAD_PART, UPLOAD_PART_COPY,
                 COMPLETE_MULTIPART_UPLOAD -> true;
            default -> false;
        };
    }

    /**
     * What is wrong with this upload request as Strata must send it, or null: each PUT and each multipart creation
     * asks for {@code expected} (and no other encryption), each PUT and part carries a CRC32C (in a header or a
     * trailer), a multipart upload is created and completed with a full-object CRC32C.
     */
    public String uploadProblem(S3Encryption expected) {
        List<String> problems = new ArrayList<>();
        if (operation == S3Operation.PUT_OBJECT || operation == S3Operation.CREATE_MULTIPART_UPLOAD) {
            String sse = header("x-amz-server-side-encryption");
            String key = header("x-amz-server-side-encryption-aws-kms-key-id");
            if (!Objects.equals(sse, expected.enabled() ? expected.mode().value() : null)) {
                problems.add("encryption " + sse);
            }
            if (!Objects.equals(key, expected.kmsKeyId())) {
                problems.add("KMS key " + key);
            }
        }
        switch (operation) {
            case PUT_OBJECT, UPLOAD_PART -> {
                if (!"CRC32C".equals(header("x-amz-sdk-checksum-algorithm"))
                        || (header("x-amz-checksum-crc32c") == null
                        && !"x-amz-checksum-crc32c".equals(header("x-amz-trailer")))) {
                    problems.add("no CRC32C");
                }
            }
            case CREATE_MULTIPART_UPLOAD -> {
                if (!"CRC32C".equals(header("x-amz-checksum-algorithm"))
                        || !"FULL_OBJECT".equals(header("x-amz-checksum-type"))) {
                    problems.add("no full-object CRC32C announced");
                }
            }
            case COMPLETE_MULTIPART_UPLOAD -> {
                if (header("x-amz-checksum-crc32c") == null || !"FULL_OBJECT".equals(header("x-amz-checksum-type"))) {
                    problems.add("no full-object CRC32C");
                }
            }
            default -> { }
        }
        return problems.isEmpty() ? null : this + ": " + String.join(", ", problems);
    }

    @Override
    public String toString() {
        return operation + " " + method + " " + path + " -> " + status + (refused ? " (refused)" : "");
    }
}
