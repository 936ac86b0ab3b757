package dev.strata.api;

import dev.strata.storage.S3Encryption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Every setting of a Strata node, with defaults that work with no configuration at all (a local
 * folder, local durability). Each setting has a unit in its name and is readable from the
 * environment variable of the same name in upper snake case with a STRATA_ prefix
 * ({@code cacheMemoryBytes} is {@code STRATA_CACHE_MEMORY_BYTES}); see {@link #with(String, String)}.
 *
 * @param path local folder: catalog copy, write-ahead log, disk cache, and the objects when storage is local
 * @param storage where durable objects live
 * @param s3Bucket bucket for storage s3 (required then)
 * @param s3Prefix key prefix inside the bucket ("" for none)
 * @param s3Endpoint endpoint of an S3-compatible store, or null for AWS
 * @param s3Region region, or null for the AWS SDK's default chain
 * @param s3PathStyle address buckets as endpoint/bucket/key (MinIO, S3Mock)
 * @param s3AccessKeyId static access key, or null for the AWS SDK's default credentials chain
 * @param s3SecretAccessKey its secret (never printed by toString)
 * @param s3Sse server-side encryption S3 applies to every object the node writes: {@code none} (the bucket's
 *              default), {@code AES256} (SSE-S3) or {@code aws:kms} (SSE-KMS); needs storage s3 unless none
 * @param s3KmsKeyId the KMS key (id, ARN or alias) with {@code aws:kms}, or null for the account's aws/s3 key
 * @param s3MaxInFlight object-store requests sent at once to S3 (and HTTP connections); more wait for a slot, so a
 *                      burst of cold block reads queues in the node instead of failing or flooding the bucket
 * @param s3MaxRetries retries after the first attempt of an S3 request that failed with throttling (503 SlowDown),
 *                     a 5xx or an I/O error or timeout, with exponential backoff and full jitter (the AWS SDK's
 *                     standard strategy); 0: none
 * @param durability when a write returns: after the local fsync, or after the log is in the object store
 * @param cacheMemoryBytes bound of the block cache's memory tier
 * @param cacheDiskBytes bound of the block cache's disk tier in {path}/cache, used with storage s3 (0: none)
 * @param walSegmentBytes a log segment is sealed and uploaded once it holds this many bytes
 * @param walUploadIntervalMs how often sealed log segments are put in the object store
 * @param compactionThresholdRecords compact a collection once its log tail holds this many records
 * @param compactionIntervalMs ... or once its oldest uncompacted write is this old
 * @param gcKeepVersions versions kept per collection besides those younger than the TTL
 * @param gcTtlMs versions younger than this are kept
 * @param gcGraceMs a file no kept version names is deleted only once it has been unreferenced this long
 * @param maxBatchSize the batch size announced to clients (pre-flight max_batch_size), which split their writes by
 *                     it, and the most query embeddings per query; a larger write is still taken whole, as by Chroma
 * @param readOnly serve reads of a bucket another node writes: take no writer lease, write nothing to the
 *                 bucket, refuse every write with {@link ReadOnlyException}
 * @param readOnlyRefreshMs how often a read-only node follows the writer (catalog manifest, uploaded log of
 *                          its open collections); 0: only when asked ({@code EmbeddedStrata.refresh()})
 * @param maxTailRecords a write to a collection whose uncompacted log tail holds this many records waits for
 *                       compaction to catch up (reads scan the tail exhaustively, so it bounds their cost); 0: no bound
 * @param writeStallTimeoutMs how long such a write waits before it fails with {@link WriteStalledException}
 * @param queryTimeoutMs how long one read (get, query, count, a filtered delete's scan) may run before it is
 *                       stopped with {@link DeadlineExceededException}; 0: no deadline
 * @param warmIndexBytes memory the node's in-memory HNSW graphs (warm accelerators of the clustered index,
 *                       rebuilt from blocks, never stored) may take together; a collection whose graph would not
 *                       fit is served by the clustered index alone; 0: no graph
 * @param leaseRenewMs how often a writer renews its writer lease in the bucket while no standby watches it (its
 *                     heartbeat: one conditional PUT, and a HEAD of the standbys' beacon)
 * @param leaseStaleMs a new writer node takes over a bucket whose lease another node holds only once it has watched
 *                     that lease go unrenewed this long on its own clock, while no standby watches (a crashed writer
 *                     is replaced after about this long; a live one is never fenced by a second start); a writer that
 *                     could not renew for this long refuses writes until it renews. Must exceed
 *                     STRATA_LEASE_RENEW_MS (3x or more advised)
 * @param leaseStandbyRenewMs the heartbeat while a standby (STRATA_LEASE_WAIT_MS) watches the writer: a writer that
 *                     sees a standby's beacon renews this often instead (at most STRATA_LEASE_RENEW_MS)
 * @param leaseStandbyStaleMs the stale interval while a standby watches: the standby takes over about this long after
 *                     the writer dies (at most STRATA_LEASE_STALE_MS; must exceed STRATA_LEASE_STANDBY_RENEW_MS)
 * @param leaseWaitMs how long a writer node opening on a bucket whose writer is alive keeps watching its lease, a
 *                    standby, before it fails; it takes the bucket over about STRATA_LEASE_STANDBY_STALE_MS after that
 *                    writer dies. 0: it fails as soon as it sees the lease renewed
 */
public record Settings(
        Path path,
        Storage storage,
        String s3Bucket,
        String s3Prefix,
        String s3Endpoint,
        String s3Region,
        boolean s3PathStyle,
        String s3AccessKeyId,
        String s3SecretAccessKey,
        String s3Sse,
        String s3KmsKeyId,
        int s3MaxInFlight,
        int s3MaxRetries,
        Durability durability,
        long cacheMemoryBytes,
        long cacheDiskBytes,
        long walSegmentBytes,
        long walUploadIntervalMs,
        int compactionThresholdRecords,
        long compactionIntervalMs,
        int gcKeepVersions,
        long gcTtlMs,
        long gcGraceMs,
        int maxBatchSize,
        boolean readOnly,
        long readOnlyRefreshMs,
        int maxTailRecords,
        long writeStallTimeoutMs,
        long queryTimeoutMs,
        long warmIndexBytes,
        long leaseRenewMs,
        long leaseStaleMs,
        long leaseStandbyRenewMs,
        long leaseStandbyStaleMs,
        long leaseWaitMs) {

    public static final String ENV_PREFIX = "STRATA_";

    /** Where durable objects live. */
    public enum Storage { LOCAL, S3 }

    /** When a write returns. */
    public enum Durability { LOCAL, S3 }

    public Settings {
        if (path == null) {
            throw new InvalidArgumentException("Setting STRATA_PATH must name a folder");
        }
        if (storage == null || durability == null) {
            throw new InvalidArgumentException("Settings STRATA_STORAGE and STRATA_DURABILITY must be local or s3");
        }
        if (storage == Storage.S3 && (s3Bucket == null || s3Bucket.isBlank())) {
            throw new InvalidArgumentException("Setting STRATA_S3_BUCKET is required when STRATA_STORAGE is s3");
        }
        s3Prefix = s3Prefix == null ? "" : s3Prefix;
        if ((s3AccessKeyId == null) != (s3SecretAccessKey == null)) {
            throw new InvalidArgumentException("Settings STRATA_S3_ACCESS_KEY_ID and STRATA_S3_SECRET_ACCESS_KEY must be given together");
        }
        S3Encryption encryption = s3Encryption(s3Sse, s3KmsKeyId);
        s3Sse = encryption.mode().value();
        s3KmsKeyId = encryption.kmsKeyId();
        if (encryption.enabled() && storage != Storage.S3) {
            throw new InvalidArgumentException("Setting STRATA_S3_SSE=" + s3Sse + " needs STRATA_STORAGE=s3: "
                    + "a local store is not encrypted by S3");
        }
        atLeast("STRATA_S3_MAX_IN_FLIGHT", s3MaxInFlight, 1);
        atLeast("STRATA_S3_MAX_RETRIES", s3MaxRetries, 0);
        atLeast("STRATA_CACHE_MEMORY_BYTES", cacheMemoryBytes, 0);
        atLeast("STRATA_CACHE_DISK_BYTES", cacheDiskBytes, 0);
        atLeast("STRATA_WAL_SEGMENT_BYTES", walSegmentBytes, 1);
        atLeast("STRATA_WAL_UPLOAD_INTERVAL_MS", walUploadIntervalMs, 1);
        atLeast("STRATA_COMPACTION_THRESHOLD_RECORDS", compactionThresholdRecords, 1);
        atLeast("STRATA_COMPACTION_INTERVAL_MS", compactionIntervalMs, 1);
        atLeast("STRATA_GC_KEEP_VERSIONS", gcKeepVersions, 1);
        atLeast("STRATA_GC_TTL_MS", gcTtlMs, 0);
        atLeast("STRATA_GC_GRACE_MS", gcGraceMs, 0);
        atLeast("STRATA_MAX_BATCH_SIZE", maxBatchSize, 1);
        atLeast("STRATA_READ_ONLY_REFRESH_MS", readOnlyRefreshMs, 0);
        atLeast("STRATA_MAX_TAIL_RECORDS", maxTailRecords, 0);
        atLeast("STRATA_WRITE_STALL_TIMEOUT_MS", writeStallTimeoutMs, 0);
        atLeast("STRATA_QUERY_TIMEOUT_MS", queryTimeoutMs, 0);
        atLeast("STRATA_WARM_INDEX_BYTES", warmIndexBytes, 0);
        atLeast("STRATA_LEASE_RENEW_MS", leaseRenewMs, 1);
        atLeast("STRATA_LEASE_STANDBY_RENEW_MS", leaseStandbyRenewMs, 1);
        atLeast("STRATA_LEASE_WAIT_MS", leaseWaitMs, 0);
        if (leaseStaleMs <= leaseRenewMs) {
            throw new InvalidArgumentException("Setting STRATA_LEASE_STALE_MS must exceed STRATA_LEASE_RENEW_MS ("
                    + leaseRenewMs + "; a live writer renews several times within it), got " + leaseStaleMs);
        }
        if (leaseStandbyStaleMs <= leaseStandbyRenewMs) {
            throw new InvalidArgumentException("Setting STRATA_LEASE_STANDBY_STALE_MS must exceed"
                    + " STRATA_LEASE_STANDBY_RENEW_MS (" + leaseStandbyRenewMs + "; a live writer renews several times"
                    + " within it), got " + leaseStandbyStaleMs);
        }
    }

    /** The defaults, with the data in ./strata-data. */
    public static Settings defaults() {
        return defaults(Path.of("strata-data"));
    }

    public static Settings defaults(Path path) {
        return new Settings(path, Storage.LOCAL, null, "", null, null, false, null, null, "none", null, 64, 5, Durability.LOCAL,
                256L << 20, 4L << 30, 8L << 20, 1_000, 1_000, 60_000, 3, 7L * 24 * 3600 * 1000, 10L * 60 * 1000,
                Validator.DEFAULT_MAX_BATCH_SIZE, false, 5_000, 10_000, 60_000, 30_000, 1L << 30,
                10_000, 30_000, 1_000, 3_000, 0);
    }

    /** The defaults overridden by every STRATA_* variable of the process environment. */
    public static Settings fromEnvironment() {
        // The process environment also carries STRATA_* variables of the server and scripts
        // (STRATA_PORT, STRATA_JVM_FLAGS, ...): take only the names that are settings here.
        Map<String, String> settings = new java.util.HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (NAMES.contains(name)) {
                settings.put(name, value);
            }
        });
        return defaults().withAll(settings);
    }

    /** The environment variable names of every setting. */
    public static final java.util.Set<String> NAMES = java.util.Set.of(
            "STRATA_PATH", "STRATA_STORAGE", "STRATA_S3_BUCKET", "STRATA_S3_PREFIX", "STRATA_S3_ENDPOINT",
            "STRATA_S3_REGION", "STRATA_S3_PATH_STYLE", "STRATA_S3_ACCESS_KEY_ID", "STRATA_S3_SECRET_ACCESS_KEY",
            "STRATA_S3_SSE", "STRATA_S3_KMS_KEY_ID", "STRATA_S3_MAX_IN_FLIGHT", "STRATA_S3_MAX_RETRIES", "STRATA_DURABILITY", "STRATA_CACHE_MEMORY_BYTES", "STRATA_CACHE_DISK_BYTES", "STRATA_WAL_SEGMENT_BYTES",
            "STRATA_WAL_UPLOAD_INTERVAL_MS", "STRATA_COMPACTION_THRESHOLD_RECORDS", "STRATA_COMPACTION_INTERVAL_MS",
            "STRATA_GC_KEEP_VERSIONS", "STRATA_GC_TTL_MS", "STRATA_GC_GRACE_MS", "STRATA_MAX_BATCH_SIZE",
            "STRATA_READ_ONLY", "STRATA_READ_ONLY_REFRESH_MS", "STRATA_MAX_TAIL_RECORDS",
            "STRATA_WRITE_STALL_TIMEOUT_MS", "STRATA_QUERY_TIMEOUT_MS", "STRATA_WARM_INDEX_BYTES",
            "STRATA_LEASE_RENEW_MS", "STRATA_LEASE_STALE_MS", "STRATA_LEASE_STANDBY_RENEW_MS",
            "STRATA_LEASE_STANDBY_STALE_MS", "STRATA_LEASE_WAIT_MS");

    /**
     * These settings overridden by every STRATA_* entry of the map (other entries are ignored),
     * checked together: STRATA_STORAGE=s3 may come with its STRATA_S3_BUCKET in the same map.
     */
    public Settings withAll(Map<String, String> variables) {
        Draft d = new Draft(this);
        for (Map.Entry<String, String> e : variables.entrySet()) {
            if (e.getKey().startsWith(ENV_PREFIX) && e.getValue() != null) {
                d.set(e.getKey(), e.getValue());
            }
        }
        return d.build();
    }

    public Settings withPath(Path newPath) {
        return with("STRATA_PATH", newPath.toString());
    }

    /**
     * These settings with one changed, by its environment variable name (e.g. STRATA_PATH, "/data").
     * An unknown STRATA_* name or a malformed value is an {@link InvalidArgumentException}.
     */
    public Settings with(String name, String value) {
        return withAll(Map.of(name, value));
    }

    /** The settings being assembled from variables, checked once when built. */
    private static final class Draft {
        Path path;
        Storage storage;
        String s3Bucket;
        String s3Prefix;
        String s3Endpoint;
        String s3Region;
        boolean s3PathStyle;
        String s3AccessKeyId;
        String s3SecretAccessKey;
        String s3Sse;
        String s3KmsKeyId;
        int s3MaxInFlight;
        int s3MaxRetries;
        Durability durability;
        long cacheMemoryBytes;
        long cacheDiskBytes;
        long walSegmentBytes;
        long walUploadIntervalMs;
        int compactionThresholdRecords;
        long compactionIntervalMs;
        int gcKeepVersions;
        long gcTtlMs;
        long gcGraceMs;
        int maxBatchSize;
        boolean readOnly;
        long readOnlyRefreshMs;
        int maxTailRecords;
        long writeStallTimeoutMs;
        long queryTimeoutMs;
        long warmIndexBytes;
        long leaseRenewMs;
        long leaseStaleMs;
        long leaseStandbyRenewMs;
        long leaseStandbyStaleMs;
        long leaseWaitMs;

        Draft(Settings s) {
            path = s.path;
            storage = s.storage;
            s3Bucket = s.s3Bucket;
            s3Prefix = s.s3Prefix;
            s3Endpoint = s.s3Endpoint;
            s3Region = s.s3Region;
            s3PathStyle = s.s3PathStyle;
            s3AccessKeyId = s.s3AccessKeyId;
            s3SecretAccessKey = s.s3SecretAccessKey;
            s3Sse = s.s3Sse;
            s3KmsKeyId = s.s3KmsKeyId;
            s3MaxInFlight = s.s3MaxInFlight;
            s3MaxRetries = s.s3MaxRetries;
            durability = s.durability;
            cacheMemoryBytes = s.cacheMemoryBytes;
            cacheDiskBytes = s.cacheDiskBytes;
            walSegmentBytes = s.walSegmentBytes;
            walUploadIntervalMs = s.walUploadIntervalMs;
            compactionThresholdRecords = s.compactionThresholdRecords;
            compactionIntervalMs = s.compactionIntervalMs;
            gcKeepVersions = s.gcKeepVersions;
            gcTtlMs = s.gcTtlMs;
            gcGraceMs = s.gcGraceMs;
            maxBatchSize = s.maxBatchSize;
            readOnly = s.readOnly;
            readOnlyRefreshMs = s.readOnlyRefreshMs;
            maxTailRecords = s.maxTailRecords;
            writeStallTimeoutMs = s.writeStallTimeoutMs;
            queryTimeoutMs = s.queryTimeoutMs;
            warmIndexBytes = s.warmIndexBytes;
            leaseRenewMs = s.leaseRenewMs;
            leaseStaleMs = s.leaseStaleMs;
            leaseStandbyRenewMs = s.leaseStandbyRenewMs;
            leaseStandbyStaleMs = s.leaseStandbyStaleMs;
            leaseWaitMs = s.leaseWaitMs;
        }

        void set(String name, String value) {
            String v = value.trim();
            switch (name) {
                case "STRATA_PATH" -> path = Path.of(v);
                case "STRATA_STORAGE" -> storage = Storage.valueOf(choice(name, v, "local", "s3").toUpperCase(Locale.ROOT));
                case "STRATA_S3_BUCKET" -> s3Bucket = v;
                case "STRATA_S3_PREFIX" -> s3Prefix = v;
                case "STRATA_S3_ENDPOINT" -> s3Endpoint = v.isEmpty() ? null : v;
                case "STRATA_S3_REGION" -> s3Region = v.isEmpty() ? null : v;
                case "STRATA_S3_PATH_STYLE" -> s3PathStyle = Boolean.parseBoolean(choice(name, v, "true", "false"));
                case "STRATA_S3_ACCESS_KEY_ID" -> s3AccessKeyId = v.isEmpty() ? null : v;
                case "STRATA_S3_SECRET_ACCESS_KEY" -> s3SecretAccessKey = v.isEmpty() ? null : v;
                case "STRATA_S3_SSE" -> s3Sse = v;
                case "STRATA_S3_KMS_KEY_ID" -> s3KmsKeyId = v.isEmpty() ? null : v;
                case "STRATA_S3_MAX_IN_FLIGHT" -> s3MaxInFlight = integer(name, v);
                case "STRATA_S3_MAX_RETRIES" -> s3MaxRetries = integer(name, v);
                case "STRATA_DURABILITY" -> durability = Durability.valueOf(choice(name, v, "local", "s3").toUpperCase(Locale.ROOT));
                case "STRATA_CACHE_MEMORY_BYTES" -> cacheMemoryBytes = number(name, v);
                case "STRATA_CACHE_DISK_BYTES" -> cacheDiskBytes = number(name, v);
                case "STRATA_WAL_SEGMENT_BYTES" -> walSegmentBytes = number(name, v);
                case "STRATA_WAL_UPLOAD_INTERVAL_MS" -> walUploadIntervalMs = number(name, v);
                case "STRATA_COMPACTION_THRESHOLD_RECORDS" -> compactionThresholdRecords = integer(name, v);
                case "STRATA_COMPACTION_INTERVAL_MS" -> compactionIntervalMs = number(name, v);
                case "STRATA_GC_KEEP_VERSIONS" -> gcKeepVersions = integer(name, v);
                case "STRATA_GC_TTL_MS" -> gcTtlMs = number(name, v);
                case "STRATA_GC_GRACE_MS" -> gcGraceMs = number(name, v);
                case "STRATA_MAX_BATCH_SIZE" -> maxBatchSize = integer(name, v);
                case "STRATA_READ_ONLY" -> readOnly = Boolean.parseBoolean(choice(name, v, "true", "false"));
                case "STRATA_READ_ONLY_REFRESH_MS" -> readOnlyRefreshMs = number(name, v);
                case "STRATA_MAX_TAIL_RECORDS" -> maxTailRecords = integer(name, v);
                case "STRATA_WRITE_STALL_TIMEOUT_MS" -> writeStallTimeoutMs = number(name, v);
                case "STRATA_QUERY_TIMEOUT_MS" -> queryTimeoutMs = number(name, v);
                case "STRATA_WARM_INDEX_BYTES" -> warmIndexBytes = number(name, v);
                case "STRATA_LEASE_RENEW_MS" -> leaseRenewMs = number(name, v);
                case "STRATA_LEASE_STALE_MS" -> leaseStaleMs = number(name, v);
                case "STRATA_LEASE_STANDBY_RENEW_MS" -> leaseStandbyRenewMs = number(name, v);
                case "STRATA_LEASE_STANDBY_STALE_MS" -> leaseStandbyStaleMs = number(name, v);
                case "STRATA_LEASE_WAIT_MS" -> leaseWaitMs = number(name, v);
                default -> throw new InvalidArgumentException("Unknown setting " + name);
            }
        }

        Settings build() {
            return new Settings(path, storage, s3Bucket, s3Prefix, s3Endpoint, s3Region, s3PathStyle, s3AccessKeyId,
                    s3SecretAccessKey, s3Sse, s3KmsKeyId, s3MaxInFlight, s3MaxRetries, durability, cacheMemoryBytes, cacheDiskBytes, walSegmentBytes,
                    walUploadIntervalMs, compactionThresholdRecords, compactionIntervalMs, gcKeepVersions, gcTtlMs,
                    gcGraceMs, maxBatchSize, readOnly, readOnlyRefreshMs, maxTailRecords, writeStallTimeoutMs,
                    queryTimeoutMs, warmIndexBytes, leaseRenewMs, leaseStaleMs, leaseStandbyRenewMs,
                    leaseStandbyStaleMs, leaseWaitMs);
        }
    }

    // Settings end up in logs: never print the secret.
    @Override
    public String toString() {
        return "Settings[path=" + path + ", storage=" + storage + ", s3Bucket=" + s3Bucket + ", s3Prefix=" + s3Prefix
                + ", s3Endpoint=" + s3Endpoint + ", s3Region=" + s3Region + ", s3PathStyle=" + s3PathStyle
                + ", s3AccessKeyId=" + s3AccessKeyId + ", s3SecretAccessKey=" + (s3SecretAccessKey == null ? null : "***")
                + ", s3Sse=" + s3Sse + ", s3KmsKeyId=" + s3KmsKeyId
                + ", s3MaxInFlight=" + s3MaxInFlight + ", s3MaxRetries=" + s3MaxRetries
                + ", durability=" + durability + ", cacheMemoryBytes=" + cacheMemoryBytes + ", cacheDiskBytes="
                + cacheDiskBytes + ", walSegmentBytes=" + walSegmentBytes + ", walUploadIntervalMs=" + walUploadIntervalMs
                + ", compactionThresholdRecords=" + compactionThresholdRecords + ", compactionIntervalMs="
                + compactionIntervalMs + ", gcKeepVersions=" + gcKeepVersions + ", gcTtlMs=" + gcTtlMs + ", gcGraceMs=" + gcGraceMs
                + ", maxBatchSize=" + maxBatchSize + ", readOnly=" + readOnly + ", readOnlyRefreshMs=" + readOnlyRefreshMs
                + ", maxTailRecords=" + maxTailRecords + ", writeStallTimeoutMs=" + writeStallTimeoutMs
                + ", queryTimeoutMs=" + queryTimeoutMs + ", warmIndexBytes=" + warmIndexBytes
                + ", leaseRenewMs=" + leaseRenewMs + ", leaseStaleMs=" + leaseStaleMs
                + ", leaseStandbyRenewMs=" + leaseStandbyRenewMs + ", leaseStandbyStaleMs=" + leaseStandbyStaleMs
                + ", leaseWaitMs=" + leaseWaitMs + "]";
    }

    /** The encryption STRATA_S3_SSE and STRATA_S3_KMS_KEY_ID name, as the S3 store takes it. */
    public S3Encryption s3Encryption() {
        return s3Encryption(s3Sse, s3KmsKeyId);
    }

    private static S3Encryption s3Encryption(String sse, String kmsKeyId) {
        try {
            return S3Encryption.parse(sse, kmsKeyId, "STRATA_S3_SSE", "STRATA_S3_KMS_KEY_ID");
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("Setting " + e.getMessage());
        }
    }

    private static String choice(String name, String v, String a, String b) {
        String lower = v.toLowerCase(Locale.ROOT);
        if (!lower.equals(a) && !lower.equals(b)) {
            throw new InvalidArgumentException("Setting " + name + " must be " + a + " or " + b + ", got \"" + v + "\"");
        }
        return lower;
    }

    private static long number(String name, String v) {
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("Setting " + name + " must be a whole number, got \"" + v + "\"");
        }
    }

    private static int integer(String name, String v) {
        long n = number(name, v);
        if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
            throw new InvalidArgumentException("Setting " + name + " is out of range: " + v);
        }
        return (int) n;
    }

    private static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw new InvalidArgumentException("Setting " + name + " must be >= " + min + ", got " + value);
        }
    }
}
