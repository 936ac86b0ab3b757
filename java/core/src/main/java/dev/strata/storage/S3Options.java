package dev.strata.storage;

import java.net.URI;
import java.util.Objects;

/**
 * Settings of the S3 backend. Only {@code bucket} is required: endpoint, region and credentials
 * come from the AWS SDK's default chains when absent, so the same settings work on AWS and on any
 * S3-compatible store (MinIO, Ceph, R2, S3Mock) given an endpoint and path-style access.
 *
 * @param bucket                 the bucket holding every object
 * @param prefix                 key prefix applied to every key ("" or a folder such as {@code strata/}); callers never see it
 * @param endpoint               endpoint override for S3-compatible stores, or null for AWS
 * @param region                 region, or null for the SDK's default chain (us-east-1 when an endpoint is given and the chain has none)
 * @param pathStyle              address buckets as {@code endpoint/bucket/key} instead of {@code bucket.endpoint/key}
 * @param accessKeyId            static access key, or null for the SDK's default credentials chain
 * @param secretAccessKey        static secret, required with {@code accessKeyId}
 * @param maxRequestsInFlight    bound on concurrent requests (and HTTP connections)
 * @param multipartThresholdBytes uploads larger than this use multipart upload
 * @param multipartPartBytes     size of each part but the last (S3's minimum is 5 MiB)
 * @param maxRetries             retries after the first attempt of a failed request (throttling, 5xx, I/O)
 * @param listPageSize           keys asked per LIST request (S3's maximum is 1000)
 * @param socketTimeoutMs        how long a connection may stay silent (connect, read, write) before the attempt fails, in milliseconds
 * @param encryption             the server-side encryption every write asks for ({@link S3Encryption#NONE}: the bucket's default)
 */
public record S3Options(
        String bucket,
        String prefix,
        URI endpoint,
        String region,
        boolean pathStyle,
        String accessKeyId,
        String secretAccessKey,
        int maxRequestsInFlight,
        long multipartThresholdBytes,
        long multipartPartBytes,
        int maxRetries,
        int listPageSize,
        long socketTimeoutMs,
        S3Encryption encryption) {

    public static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    public static final long MAX_PART_BYTES = 5L * 1024 * 1024 * 1024;
    public static final int MAX_PARTS = 10_000;

    public S3Options {
        Objects.requireNonNull(bucket, "bucket");
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("S3 bucket must not be empty");
        }
        prefix = normalizePrefix(prefix);
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException("S3 accessKeyId and secretAccessKey must be given together");
        }
        requirePositive("maxRequestsInFlight", maxRequestsInFlight);
        requirePositive("multipartThresholdBytes", multipartThresholdBytes);
        if (multipartPartBytes < MIN_PART_BYTES || multipartPartBytes > MAX_PART_BYTES) {
            throw new IllegalArgumentException("multipartPartBytes must be between 5 MiB and 5 GiB, got "
                    + multipartPartBytes);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        }
        if (listPageSize < 1 || listPageSize > 1000) {
            throw new IllegalArgumentException("listPageSize must be between 1 and 1000, got " + listPageSize);
        }
        requirePositive("socketTimeoutMs", socketTimeoutMs);
        encryption = encryption == null ? S3Encryption.NONE : encryption;
    }

    /** Options for {@code bucket} with every other setting at its default. */
    public static S3Options of(String bucket) {
        return builder(bucket).build();
    }

    public static Builder builder(String bucket) {
        return new Builder(bucket);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder(bucket);
        b.prefix = prefix;
        b.endpoint = endpoint;
        b.region = region;
        b.pathStyle = pathStyle;
        b.accessKeyId = accessKeyId;
        b.secretAccessKey = secretAccessKey;
        b.maxRequestsInFlight = maxRequestsInFlight;
        b.multipartThresholdBytes = multipartThresholdBytes;
        b.multipartPartBytes = multipartPartBytes;
        b.maxRetries = maxRetries;
        b.listPageSize = listPageSize;
        b.socketTimeoutMs = socketTimeoutMs;
        b.encryption = encryption;
        return b;
    }

    /** Builds {@link S3Options}; the defaults suit AWS S3 (64 requests in flight, 16 MiB multipart threshold, 8 MiB parts). */
    public static final class Builder {
        private String bucket;
        private String prefix = "";
        private URI endpoint;
        private String region;
        private boolean pathStyle;
        private String accessKeyId;
        private String secretAccessKey;
        private int maxRequestsInFlight = 64;
        private long multipartThresholdBytes = 16L * 1024 * 1024;
        private long multipartPartBytes = 8L * 1024 * 1024;
        private int maxRetries = 5;
        private int listPageSize = 1000;
        private long socketTimeoutMs = 30_000;
        private S3Encryption encryption = S3Encryption.NONE;

        private Builder(String bucket) {
            this.bucket = bucket;
        }

        public Builder bucket(String v) { bucket = v; return this; }
        public Builder prefix(String v) { prefix = v; return this; }
        public Builder endpoint(URI v) { endpoint = v; return this; }
        public Builder region(String v) { region = v; return this; }
        public Builder pathStyle(boolean v) { pathStyle = v; return this; }
        public Builder credentials(String keyId, String secret) { accessKeyId = keyId; secretAccessKey = secret; return this; }
        public Builder maxRequestsInFlight(int v) { maxRequestsInFlight = v; return this; }
        public Builder multipart(long thresholdBytes, long partBytes) {
            multipartThresholdBytes = thresholdBytes;
            multipartPartBytes = partBytes;
            return this;
        }
        public Builder maxRetries(int v) { maxRetries = v; return this; }
        public Builder listPageSize(int v) { listPageSize = v; return this; }
        public Builder socketTimeoutMs(long v) { socketTimeoutMs = v; return this; }
        public Builder encryption(S3Encryption v) { encryption = v; return this; }

        public S3Options build() {
            return new S3Options(bucket, prefix, endpoint, region, pathStyle, accessKeyId, secretAccessKey,
                    maxRequestsInFlight, multipartThresholdBytes, multipartPartBytes, maxRetries, listPageSize,
                    socketTimeoutMs, encryption);
        }
    }

    /** Hides the secret: options end up in logs. */
    @Override
    public String toString() {
        return "S3Options[bucket=" + bucket + ", prefix=" + prefix + ", endpoint=" + endpoint + ", region=" + region
                + ", pathStyle=" + pathStyle + ", accessKeyId=" + accessKeyId
                + ", secretAccessKey=" + (secretAccessKey == null ? null : "***")
                + ", maxRequestsInFlight=" + maxRequestsInFlight + ", multipartThresholdBytes="
                + multipartThresholdBytes + ", multipartPartBytes=" + multipartPartBytes + ", maxRetries=" + maxRetries
                + ", listPageSize=" + listPageSize + ", socketTimeoutMs=" + socketTimeoutMs
                + ", encryption=" + encryption + "]";
    }

    private static String normalizePrefix(String p) {
        if (p == null || p.isEmpty()) {
            return "";
        }
        String trimmed = p.startsWith("/") ? p.substring(1) : p;
        if (trimmed.isEmpty()) {
            return "";
        }
        ObjectKeys.validate(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
        return trimmed.endsWith("/") ? trimmed : trimmed + "/";
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }
}
