package dev.strata.api;

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
 * @param durability when a write returns: after the local fsync, or after the log is in the object store
 * @param cacheMemoryBytes bound of the block cache's memory tier
 * @param cacheDiskBytes bound of the block cache's disk tier in {path}/cache, used with storage s3 (0: none)
 * @param walSegmentBytes a log segment is sealed and uploaded once it holds this many bytes
 * @param walUploadIntervalMs how often sealed log segments are put in the object store
 * @param compactionThresholdRecords compact a collection once its log tail holds this many records
 * @param compactionIntervalMs ... or once its oldest uncompacted write is this old
 * @param gcKeepVersions versions kept per collection besides those younger than the TTL
 * @param gcTtlMs versions younger than this are kept
 * @param maxBatchSize most records one add/upsert/update/delete may carry
 */
public record Settings(
        Path path,
        Storage storage,
        String s3Bucket,
        String s3Prefix,
        String s3Endpoint,
        String s3Region,
        boolean s3PathStyle,
        Durability durability,
        long cacheMemoryBytes,
        long cacheDiskBytes,
        long walSegmentBytes,
        long walUploadIntervalMs,
        int compactionThresholdRecords,
        long compactionIntervalMs,
        int gcKeepVersions,
        long gcTtlMs,
        int maxBatchSize) {

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
        atLeast("STRATA_CACHE_MEMORY_BYTES", cacheMemoryBytes, 0);
        atLeast("STRATA_CACHE_DISK_BYTES", cacheDiskBytes, 0);
        atLeast("STRATA_WAL_SEGMENT_BYTES", walSegmentBytes, 1);
        atLeast("STRATA_WAL_UPLOAD_INTERVAL_MS", walUploadIntervalMs, 1);
        atLeast("STRATA_COMPACTION_THRESHOLD_RECORDS", compactionThresholdRecords, 1);
        atLeast("STRATA_COMPACTION_INTERVAL_MS", compactionIntervalMs, 1);
        atLeast("STRATA_GC_KEEP_VERSIONS", gcKeepVersions, 1);
        atLeast("STRATA_GC_TTL_MS", gcTtlMs, 0);
        atLeast("STRATA_MAX_BATCH_SIZE", maxBatchSize, 1);
    }

    /** The defaults, with the data in ./strata-data. */
    public static Settings defaults() {
        return defaults(Path.of("strata-data"));
    }

    public static Settings defaults(Path path) {
        return new Settings(path, Storage.LOCAL, null, "", null, null, false, Durability.LOCAL,
                256L << 20, 4L << 30, 8L << 20, 1_000, 1_000, 60_000, 3, 7L * 24 * 3600 * 1000, Validator.DEFAULT_MAX_BATCH_SIZE);
    }

    /** The defaults overridden by every STRATA_* variable of the process environment. */
    public static Settings fromEnvironment() {
        return defaults().withAll(System.getenv());
    }

    /** These settings overridden by every STRATA_* entry of the map; other entries are ignored. */
    public Settings withAll(Map<String, String> variables) {
        Settings s = this;
        for (Map.Entry<String, String> e : variables.entrySet()) {
            if (e.getKey().startsWith(ENV_PREFIX) && e.getValue() != null) {
                s = s.with(e.getKey(), e.getValue());
            }
        }
        return s;
    }

    public Settings withPath(Path newPath) {
        return with("STRATA_PATH", newPath.toString());
    }

    /**
     * These settings with one changed, by its environment variable name (e.g. STRATA_STORAGE, "s3").
     * An unknown STRATA_* name or a malformed value is an {@link InvalidArgumentException}.
     */
    public Settings with(String name, String value) {
        Path p = path;
        Storage st = storage;
        String bucket = s3Bucket;
        String prefix = s3Prefix;
        String endpoint = s3Endpoint;
        String region = s3Region;
        boolean pathStyle = s3PathStyle;
        Durability d = durability;
        long cacheMem = cacheMemoryBytes;
        long cacheDisk = cacheDiskBytes;
        long segBytes = walSegmentBytes;
        long uploadMs = walUploadIntervalMs;
        int compactRecords = compactionThresholdRecords;
        long compactMs = compactionIntervalMs;
        int keep = gcKeepVersions;
        long ttl = gcTtlMs;
        int batch = maxBatchSize;
        String v = value.trim();
        switch (name) {
            case "STRATA_PATH" -> p = Path.of(v);
            case "STRATA_STORAGE" -> st = Storage.valueOf(choice(name, v, "local", "s3").toUpperCase(Locale.ROOT));
            case "STRATA_S3_BUCKET" -> bucket = v;
            case "STRATA_S3_PREFIX" -> prefix = v;
            case "STRATA_S3_ENDPOINT" -> endpoint = v.isEmpty() ? null : v;
            case "STRATA_S3_REGION" -> region = v.isEmpty() ? null : v;
            case "STRATA_S3_PATH_STYLE" -> pathStyle = Boolean.parseBoolean(choice(name, v, "true", "false"));
            case "STRATA_DURABILITY" -> d = Durability.valueOf(choice(name, v, "local", "s3").toUpperCase(Locale.ROOT));
            case "STRATA_CACHE_MEMORY_BYTES" -> cacheMem = number(name, v);
            case "STRATA_CACHE_DISK_BYTES" -> cacheDisk = number(name, v);
            case "STRATA_WAL_SEGMENT_BYTES" -> segBytes = number(name, v);
            case "STRATA_WAL_UPLOAD_INTERVAL_MS" -> uploadMs = number(name, v);
            case "STRATA_COMPACTION_THRESHOLD_RECORDS" -> compactRecords = integer(name, v);
            case "STRATA_COMPACTION_INTERVAL_MS" -> compactMs = number(name, v);
            case "STRATA_GC_KEEP_VERSIONS" -> keep = integer(name, v);
            case "STRATA_GC_TTL_MS" -> ttl = number(name, v);
            case "STRATA_MAX_BATCH_SIZE" -> batch = integer(name, v);
            default -> throw new InvalidArgumentException("Unknown setting " + name);
        }
        return new Settings(p, st, bucket, prefix, endpoint, region, pathStyle, d, cacheMem, cacheDisk, segBytes,
                uploadMs, compactRecords, compactMs, keep, ttl, batch);
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
