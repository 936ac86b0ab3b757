package dev.strata.api;

import dev.strata.storage.S3Encryption;
import dev.strata.storage.S3Options;
import dev.strata.storage.StorageOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every setting of a Strata node, with defaults that work with no configuration at all (a local folder, local
 * durability). The settings are the rows of {@link #TABLE}, declared below in one place: each row's environment
 * variable, type, default, unit, doc and bounds drive the parsing here, the flags of every {@code strata} command
 * that opens a node, and the settings table of docs/engine.md (checked by a test). Adding a setting is adding a row;
 * the engine reads it with {@link #get(Setting)}.
 *
 * <p>Each setting is readable from its environment variable ({@code cacheMemoryBytes} is
 * {@code STRATA_CACHE_MEMORY_BYTES}); see {@link #with(String, String)}. A malformed value, one out of bounds, or
 * settings that do not fit together are an {@link InvalidArgumentException} naming the variables.
 */
public final class Settings {

    public static final String ENV_PREFIX = "STRATA_";

    /** Where durable objects live. */
    public enum Storage { LOCAL, S3 }

    /** When a write returns. */
    public enum Durability { LOCAL, S3 }

    private static final List<Setting<?>> ROWS = new ArrayList<>();

    // ---- The table: one row per setting, in the order the docs list them. ----

    public static final Setting<Path> PATH = row(Setting.path("STRATA_PATH", "strata-data",
            "local folder: `catalog/` (RocksDB), `wal/` (open log segments), `cache/`, and `objects/` when storage is local"));
    public static final Setting<Storage> STORAGE = row(Setting.choice("STRATA_STORAGE", true, Storage.class, Storage.LOCAL,
            "where durable objects live: `local` (`{path}/objects`) or `s3`"));
    public static final Setting<String> S3_BUCKET = row(Setting.text("STRATA_S3_BUCKET", true, "BUCKET", null, "—",
            "bucket for storage `s3` (required then)"));
    public static final Setting<String> S3_PREFIX = row(Setting.text("STRATA_S3_PREFIX", true, "PREFIX", "", "`\"\"`",
            "key prefix inside the bucket"));
    public static final Setting<String> S3_ENDPOINT = row(Setting.text("STRATA_S3_ENDPOINT", true, "URL", null, "AWS",
            "endpoint URL of an S3-compatible store (MinIO, Ceph, R2...)"));
    public static final Setting<String> S3_REGION = row(Setting.text("STRATA_S3_REGION", true, "REGION", null, "SDK chain",
            "region; the AWS SDK's default chain when absent"));
    public static final Setting<Boolean> S3_PATH_STYLE = row(Setting.onOff("STRATA_S3_PATH_STYLE", true, false,
            "address buckets as endpoint/bucket/key (MinIO, S3Mock and the like)"));
    public static final Setting<String> S3_ACCESS_KEY_ID = row(Setting.secretText("STRATA_S3_ACCESS_KEY_ID", "SDK chain",
            "static access key, given with STRATA_S3_SECRET_ACCESS_KEY; the AWS SDK's default chain when absent"));
    public static final Setting<String> S3_SECRET_ACCESS_KEY = row(Setting.secretText("STRATA_S3_SECRET_ACCESS_KEY",
            "SDK chain", "its secret (never printed)"));
    public static final Setting<String> S3_SSE = row(Setting.text("STRATA_S3_SSE", true, "none|AES256|aws:kms", "none", "`none`",
            "server-side encryption of every object written: `none` (the bucket's default), `AES256` (SSE-S3) or"
                    + " `aws:kms` (SSE-KMS); needs storage `s3` unless `none`"));
    public static final Setting<String> S3_KMS_KEY_ID = row(Setting.text("STRATA_S3_KMS_KEY_ID", true, "KEY", null, "`aws/s3` key",
            "KMS key id, ARN or alias, with `aws:kms` only"));
    public static final Setting<Integer> S3_MAX_IN_FLIGHT = row(Setting.integer("STRATA_S3_MAX_IN_FLIGHT", true, 64,
            "requests", 1, "S3 requests sent at once (and HTTP connections); more wait for a slot"));
    public static final Setting<Integer> S3_MAX_RETRIES = row(Setting.integer("STRATA_S3_MAX_RETRIES", true, 5,
            "retries", 0, "retries of an S3 request that was throttled (503 SlowDown), failed with a 5xx or an I/O"
                    + " error, or timed out; exponential backoff with full jitter; 0: none"));
    public static final Setting<Durability> DURABILITY = row(Setting.choice("STRATA_DURABILITY", false, Durability.class,
            Durability.LOCAL, "a write returns after the local fsync (`local`) or once its log segment is in the"
                    + " object store (`s3`, needs storage `s3`)"));
    public static final Setting<Long> CACHE_MEMORY_BYTES = row(Setting.number("STRATA_CACHE_MEMORY_BYTES", false,
            256L << 20, "268435456 (256 MiB)", "bytes", 0, "memory tier of the block cache"));
    public static final Setting<Long> CACHE_DISK_BYTES = row(Setting.number("STRATA_CACHE_DISK_BYTES", false,
            4L << 30, "4294967296 (4 GiB)", "bytes", 0,
            "disk tier of the block cache in `{path}/cache`, with storage `s3` only; 0: none"));
    public static final Setting<Long> WAL_SEGMENT_BYTES = row(Setting.number("STRATA_WAL_SEGMENT_BYTES", false,
            8L << 20, "8388608 (8 MiB)", "bytes", 1, "a log segment is sealed and uploaded at this size"));
    public static final Setting<Long> WAL_UPLOAD_INTERVAL_MS = row(Setting.number("STRATA_WAL_UPLOAD_INTERVAL_MS", false,
            1_000, "1000", "ms", 1, "how often sealed log segments are uploaded"));
    public static final Setting<Integer> COMPACTION_THRESHOLD_RECORDS = row(Setting.integer(
            "STRATA_COMPACTION_THRESHOLD_RECORDS", false, 1_000, "records", 1,
            "compact a collection once its log tail holds this many ids"));
    public static final Setting<Long> COMPACTION_INTERVAL_MS = row(Setting.number("STRATA_COMPACTION_INTERVAL_MS", false,
            60_000, "60000", "ms", 1, "... or once its oldest uncompacted write is this old"));
    public static final Setting<Integer> GC_KEEP_VERSIONS = row(Setting.integer("STRATA_GC_KEEP_VERSIONS", false, 3,
            "versions", 1, "versions GC keeps per collection, besides those younger than STRATA_GC_TTL_MS"));
    public static final Setting<Long> GC_TTL_MS = row(Setting.number("STRATA_GC_TTL_MS", false, 7L * 24 * 3600 * 1000,
            "604800000 (7 days)", "ms", 0, "versions younger than this are kept too, one per STRATA_GC_VERSION_SPACING_MS"));
    public static final Setting<Long> GC_VERSION_SPACING_MS = row(Setting.number("STRATA_GC_VERSION_SPACING_MS", false,
            60L * 60 * 1000, "3600000 (1 hour)", "ms", 0, "of the versions younger than STRATA_GC_TTL_MS, GC keeps the"
                    + " newest of each span this long (a restore point per hour); 0 keeps every one"));
    public static final Setting<Long> GC_GRACE_MS = row(Setting.number("STRATA_GC_GRACE_MS", false, 10L * 60 * 1000,
            "600000 (10 min)", "ms", 0, "a file no kept version names is deleted only once unreferenced this long"));
    public static final Setting<Long> GC_INTERVAL_MS = row(Setting.number("STRATA_GC_INTERVAL_MS", false, 5L * 60 * 1000,
            "300000 (5 min)", "ms", 1, "pause between two background garbage collection runs"));
    public static final Setting<Integer> MAX_BATCH_SIZE = row(Setting.integer("STRATA_MAX_BATCH_SIZE", false,
            Validator.DEFAULT_MAX_BATCH_SIZE, "records", 1, "the batch size announced to clients (Chroma's"
                    + " `max_batch_size`) and the most query embeddings per query; a larger write is taken whole"));
    public static final Setting<Boolean> READ_ONLY = row(Setting.onOff("STRATA_READ_ONLY", false, false,
            "serve reads of a bucket another node writes: take no writer lease, write nothing, refuse every write"));
    public static final Setting<Long> READ_ONLY_REFRESH_MS = row(Setting.number("STRATA_READ_ONLY_REFRESH_MS", false,
            5_000, "5000", "ms", 0, "how often a read-only node follows the writer; 0: only when asked"));
    public static final Setting<Integer> MAX_TAIL_RECORDS = row(Setting.integer("STRATA_MAX_TAIL_RECORDS", false, 10_000,
            "records", 0, "a write waits for compaction while its collection's log tail holds this many ids"
                    + " (reads scan the tail exactly, so this bounds their cost); 0: no limit"));
    public static final Setting<Long> WRITE_STALL_TIMEOUT_MS = row(Setting.number("STRATA_WRITE_STALL_TIMEOUT_MS", false,
            60_000, "60000", "ms", 0, "how long such a write waits before it fails with WriteStalledException (429)"));
    public static final Setting<Integer> MAX_INDEX_LAG_RECORDS = row(Setting.integer("STRATA_MAX_INDEX_LAG_RECORDS", false,
            2_000, "records", 0, "a write waits (at most STRATA_INDEX_LAG_WAIT_MS, then goes ahead) while its"
                    + " collection's warm graph and log tail lag the writes by this many records, so that a bulk load"
                    + " ends with little indexing left; never below twice the compaction threshold; 0: writes are not paced"));
    public static final Setting<Long> INDEX_LAG_WAIT_MS = row(Setting.number("STRATA_INDEX_LAG_WAIT_MS", false,
            5_000, "5000", "ms", 0, "the longest one write waits for the warm graph (STRATA_MAX_INDEX_LAG_RECORDS)"));
    public static final Setting<Long> QUERY_TIMEOUT_MS = row(Setting.number("STRATA_QUERY_TIMEOUT_MS", false, 30_000,
            "30000", "ms", 0, "how long one read (get, query, count, a filtered delete's scan) may run before it"
                    + " stops with DeadlineExceededException (408); 0: no deadline"));
    public static final Setting<Long> WARM_INDEX_BYTES = row(Setting.number("STRATA_WARM_INDEX_BYTES", false, 1L << 30,
            "1073741824 (1 GiB)", "bytes", 0, "memory of the in-memory HNSW graphs built beside the clustered index;"
                    + " a collection that does not fit is served by the clustered index alone; 0: none"));
    public static final Setting<Long> LEASE_RENEW_MS = row(Setting.number("STRATA_LEASE_RENEW_MS", false, 10_000,
            "10000", "ms", 1, "how often the writer renews its writer lease (its heartbeat) while no standby watches"));
    public static final Setting<Long> LEASE_STALE_MS = row(Setting.number("STRATA_LEASE_STALE_MS", false, 30_000,
            "30000", "ms", 1, "while no standby watches: how long another node's lease must go unrenewed before this"
                    + " node takes the bucket over, and how long a writer that cannot renew keeps writing; must"
                    + " exceed STRATA_LEASE_RENEW_MS"));
    public static final Setting<Long> LEASE_STANDBY_RENEW_MS = row(Setting.number("STRATA_LEASE_STANDBY_RENEW_MS", false,
            1_000, "1000", "ms", 1, "the heartbeat while a standby watches (at most STRATA_LEASE_RENEW_MS)"));
    public static final Setting<Long> LEASE_STANDBY_STALE_MS = row(Setting.number("STRATA_LEASE_STANDBY_STALE_MS", false,
            3_000, "3000", "ms", 1, "the stale interval while a standby watches (at most STRATA_LEASE_STALE_MS; must"
                    + " exceed STRATA_LEASE_STANDBY_RENEW_MS)"));
    public static final Setting<Long> LEASE_WAIT_MS = row(Setting.number("STRATA_LEASE_WAIT_MS", false, 0, "0", "ms", 0,
            "how long a writer node opening beside a live writer stands by, watching its lease, before it fails;"
                    + " 0: fail once it sees the lease renewed"));

    // The HTTP server's (strata serve): flags of serve only, read by the server module, not held here.
    public static final Setting<String> HOST = row(Setting.text("STRATA_HOST", false, "HOST", "127.0.0.1", "`127.0.0.1`",
            "address the HTTP server listens on; `0.0.0.0` for every interface").ofServer());
    public static final Setting<Integer> PORT = row(Setting.integer("STRATA_PORT", false, 8000, "", 0,
            "port of the HTTP server; 0 picks a free one (printed on stdout)").ofServer());
    public static final Setting<Long> MAX_BODY_BYTES = row(Setting.number("STRATA_MAX_BODY_BYTES", false, 40L << 20,
            "41943040 (40 MiB)", "bytes", 1, "larger request bodies get 413").ofServer());
    public static final Setting<Boolean> ALLOW_RESET = row(Setting.onOff("STRATA_ALLOW_RESET", false, false,
            "let `POST /api/v2/reset` delete everything (tokens bound to no tenant only)").ofServer());
    public static final Setting<String> AUTH_TOKENS = row(Setting.text("STRATA_AUTH_TOKENS", false, "TOKENS", null,
            "none", "comma-separated tokens, without any no auth; `TOKEN@TENANT` binds a token to one tenant")
            .ofServer());

    // Of the whole process, read from its environment when a node opens (ProcessSettings) and passed on: libstrata
    // reads no environment itself.
    public static final Setting<String> DISPATCH = row(Setting.processChoice("STRATA_DISPATCH", List.of("scalar", "avx2"),
            "the CPU's best", "`scalar` forces libstrata's portable distance kernels instead of AVX2+FMA; `avx2` fails"
                    + " to open on a CPU without them"));
    public static final Setting<Integer> INSERT_THREADS = row(Setting.processInteger("STRATA_INSERT_THREADS", 1, 256,
            "cores, at most 8", "threads", "threads of one HNSW insert batch of 2048 rows or more"));
    public static final Setting<Boolean> IVF_CODES = row(Setting.processOnOff("STRATA_IVF_CODES", true,
            "`false` writes new index segments without 8-bit codes and searches without them"));

    /** Every row, in order: the settings of a node, of the HTTP server, then those the process reads itself. */
    public static final List<Setting<?>> TABLE = Collections.unmodifiableList(ROWS);

    /** The environment variable names of every setting of a node (the rows of scope NODE). */
    public static final Set<String> NAMES = Collections.unmodifiableSet(names());

    private static <T> Setting<T> row(Setting<T> setting) {
        ROWS.add(setting);
        return setting;
    }

    private static Set<String> names() {
        Set<String> out = new LinkedHashSet<>();
        for (Setting<?> s : ROWS) {
            if (s.scope() == Setting.Scope.NODE) {
                out.add(s.env());
            }
        }
        return out;
    }

    /**
     * The value of a setting of the process in {@code environment}: parsed and checked like any row, its default
     * when absent (null where the code that uses it decides).
     *
     * @throws InvalidArgumentException for a malformed value
     */
    public static <T> T processValue(Setting<T> setting, Map<String, String> environment) {
        if (setting.scope() != Setting.Scope.PROCESS) {
            throw new IllegalArgumentException(setting.env() + " is no setting of the process");
        }
        String v = environment.get(setting.env());
        return v == null || v.isBlank() ? setting.defaultValue() : setting.parse(v);
    }

    /** The row of this environment variable, if it is one. */
    public static Optional<Setting<?>> setting(String env) {
        return ROWS.stream().filter(s -> s.env().equals(env)).findFirst();
    }

    // ---- The values. ----

    private final Map<String, Object> values;

    private Settings(Map<String, Object> values) {
        Map<String, Object> v = new HashMap<>(values);
        checkTogether(v);
        this.values = Collections.unmodifiableMap(v);
    }

    /** The value of a setting of a node. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (setting.scope() != Setting.Scope.NODE) {
            throw new IllegalArgumentException(setting.env() + " is no setting of the node, not held by Settings");
        }
        return (T) values.get(setting.env());
    }

    /** The defaults, with the data in ./strata-data. */
    public static Settings defaults() {
        return defaults(PATH.defaultValue());
    }

    public static Settings defaults(Path path) {
        Map<String, Object> v = new HashMap<>();
        for (Setting<?> s : ROWS) {
            if (s.scope() == Setting.Scope.NODE) {
                v.put(s.env(), s.defaultValue());
            }
        }
        v.put(PATH.env(), path);
        return new Settings(v);
    }

    /** The defaults overridden by every STRATA_* variable of the process environment that is a setting of a node. */
    public static Settings fromEnvironment() {
        return defaults().withAll(variables(System.getenv()));
    }

    /**
     * The entries of {@code environment} that are settings of a node. The process environment also carries STRATA_*
     * variables of the server, the scripts and libstrata (STRATA_PORT, STRATA_JVM_FLAGS, STRATA_DISPATCH...).
     */
    public static Map<String, String> variables(Map<String, String> environment) {
        Map<String, String> out = new HashMap<>();
        environment.forEach((name, value) -> {
            if (NAMES.contains(name)) {
                out.put(name, value);
            }
        });
        return out;
    }

    /**
     * These settings overridden by every STRATA_* entry of the map (other entries are ignored),
     * checked together: STRATA_STORAGE=s3 may come with its STRATA_S3_BUCKET in the same map.
     * An unknown STRATA_* name or a malformed value is an {@link InvalidArgumentException}.
     */
    public Settings withAll(Map<String, String> variables) {
        Map<String, Object> v = new HashMap<>(values);
        for (Map.Entry<String, String> e : variables.entrySet()) {
            if (e.getKey().startsWith(ENV_PREFIX) && e.getValue() != null) {
                Setting<?> s = setting(e.getKey())
                        .orElseThrow(() -> new InvalidArgumentException("Unknown setting " + e.getKey()));
                if (s.scope() == Setting.Scope.SERVER) {
                    throw new InvalidArgumentException("Setting " + s.env() + " is one of the HTTP server (strata"
                            + " serve), not of the node");
                }
                if (s.scope() == Setting.Scope.PROCESS) {
                    throw new InvalidArgumentException("Setting " + s.env() + " is read from the process environment"
                            + " when the process starts, not per node: set it there");
                }
                v.put(s.env(), s.parse(e.getValue()));
            }
        }
        return new Settings(v);
    }

    public Settings withPath(Path newPath) {
        return with(PATH.env(), newPath.toString());
    }

    /**
     * These settings with one changed, by its environment variable name (e.g. STRATA_PATH, "/data").
     * An unknown STRATA_* name or a malformed value is an {@link InvalidArgumentException}.
     */
    public Settings with(String name, String value) {
        return withAll(Map.of(name, value));
    }

    /** What no single row can check: the settings that must fit together. Normalises the S3 encryption. */
    private static void checkTogether(Map<String, Object> v) {
        if (v.get(PATH.env()) == null) {
            throw new InvalidArgumentException("Setting STRATA_PATH must name a folder");
        }
        Object storage = v.get(STORAGE.env());
        if (storage == null || v.get(DURABILITY.env()) == null) {
            throw new InvalidArgumentException("Settings STRATA_STORAGE and STRATA_DURABILITY must be local or s3");
        }
        String bucket = (String) v.get(S3_BUCKET.env());
        if (storage == Storage.S3 && (bucket == null || bucket.isBlank())) {
            throw new InvalidArgumentException("Setting STRATA_S3_BUCKET is required when STRATA_STORAGE is s3");
        }
        if ((v.get(S3_ACCESS_KEY_ID.env()) == null) != (v.get(S3_SECRET_ACCESS_KEY.env()) == null)) {
            throw new InvalidArgumentException(
                    "Settings STRATA_S3_ACCESS_KEY_ID and STRATA_S3_SECRET_ACCESS_KEY must be given together");
        }
        S3Encryption encryption = s3Encryption((String) v.get(S3_SSE.env()), (String) v.get(S3_KMS_KEY_ID.env()));
        v.put(S3_SSE.env(), encryption.mode().value());
        v.put(S3_KMS_KEY_ID.env(), encryption.kmsKeyId());
        if (encryption.enabled() && storage != Storage.S3) {
            throw new InvalidArgumentException("Setting STRATA_S3_SSE=" + encryption.mode().value()
                    + " needs STRATA_STORAGE=s3: a local store is not encrypted by S3");
        }
        long renew = (Long) v.get(LEASE_RENEW_MS.env());
        long stale = (Long) v.get(LEASE_STALE_MS.env());
        if (stale <= renew) {
            throw new InvalidArgumentException("Setting STRATA_LEASE_STALE_MS must exceed STRATA_LEASE_RENEW_MS ("
                    + renew + "; a live writer renews several times within it), got " + stale);
        }
        long standbyRenew = (Long) v.get(LEASE_STANDBY_RENEW_MS.env());
        long standbyStale = (Long) v.get(LEASE_STANDBY_STALE_MS.env());
        if (standbyStale <= standbyRenew) {
            throw new InvalidArgumentException("Setting STRATA_LEASE_STANDBY_STALE_MS must exceed"
                    + " STRATA_LEASE_STANDBY_RENEW_MS (" + standbyRenew + "; a live writer renews several times"
                    + " within it), got " + standbyStale);
        }
    }

    /** The encryption STRATA_S3_SSE and STRATA_S3_KMS_KEY_ID name, as the S3 store takes it. */
    public S3Encryption s3Encryption() {
        return s3Encryption(s3Sse(), s3KmsKeyId());
    }

    private static S3Encryption s3Encryption(String sse, String kmsKeyId) {
        try {
            return S3Encryption.parse(sse, kmsKeyId, S3_SSE.env(), S3_KMS_KEY_ID.env());
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("Setting " + e.getMessage());
        }
    }

    /** Where the objects live: {path}/objects, or the bucket with every S3 setting. */
    public StorageOptions storageOptions() {
        return storage() == Storage.LOCAL ? StorageOptions.local()
                : StorageOptions.s3(s3Options(s3Bucket(), s3Prefix(), s3Encryption()));
    }

    /**
     * S3 options for a bucket and prefix (the node's, or another location such as a backup's) with this node's
     * endpoint, region, path style, credentials, request bounds, and the given encryption.
     */
    public S3Options s3Options(String bucket, String prefix, S3Encryption encryption) {
        S3Options.Builder s3 = S3Options.builder(bucket)
                .prefix(prefix)
                .pathStyle(s3PathStyle())
                .encryption(encryption)
                .maxRequestsInFlight(s3MaxInFlight())
                .maxRetries(s3MaxRetries());
        if (s3Endpoint() != null) {
            s3.endpoint(URI.create(s3Endpoint()));
        }
        if (s3Region() != null) {
            s3.region(s3Region());
        }
        if (s3AccessKeyId() != null) {
            s3.credentials(s3AccessKeyId(), s3SecretAccessKey());
        }
        return s3.build();
    }

    // ---- Typed accessors of the rows the code reads by name (a new row needs none: get(Setting)). ----

    /** Local folder: catalog copy, write-ahead log, disk cache, and the objects when storage is local. */
    public Path path() {
        return get(PATH);
    }

    public Storage storage() {
        return get(STORAGE);
    }

    public String s3Bucket() {
        return get(S3_BUCKET);
    }

    public String s3Prefix() {
        return get(S3_PREFIX);
    }

    public String s3Endpoint() {
        return get(S3_ENDPOINT);
    }

    public String s3Region() {
        return get(S3_REGION);
    }

    public boolean s3PathStyle() {
        return get(S3_PATH_STYLE);
    }

    public String s3AccessKeyId() {
        return get(S3_ACCESS_KEY_ID);
    }

    public String s3SecretAccessKey() {
        return get(S3_SECRET_ACCESS_KEY);
    }

    public String s3Sse() {
        return get(S3_SSE);
    }

    public String s3KmsKeyId() {
        return get(S3_KMS_KEY_ID);
    }

    public int s3MaxInFlight() {
        return get(S3_MAX_IN_FLIGHT);
    }

    public int s3MaxRetries() {
        return get(S3_MAX_RETRIES);
    }

    public Durability durability() {
        return get(DURABILITY);
    }

    public long cacheMemoryBytes() {
        return get(CACHE_MEMORY_BYTES);
    }

    public long cacheDiskBytes() {
        return get(CACHE_DISK_BYTES);
    }

    public long walSegmentBytes() {
        return get(WAL_SEGMENT_BYTES);
    }

    public long walUploadIntervalMs() {
        return get(WAL_UPLOAD_INTERVAL_MS);
    }

    public int compactionThresholdRecords() {
        return get(COMPACTION_THRESHOLD_RECORDS);
    }

    public long compactionIntervalMs() {
        return get(COMPACTION_INTERVAL_MS);
    }

    public int gcKeepVersions() {
        return get(GC_KEEP_VERSIONS);
    }

    public long gcTtlMs() {
        return get(GC_TTL_MS);
    }

    public long gcVersionSpacingMs() {
        return get(GC_VERSION_SPACING_MS);
    }

    public long gcGraceMs() {
        return get(GC_GRACE_MS);
    }

    public long gcIntervalMs() {
        return get(GC_INTERVAL_MS);
    }

    public int maxBatchSize() {
        return get(MAX_BATCH_SIZE);
    }

    /** Serve reads of a bucket another node writes; refuse every write with {@link ReadOnlyException}. */
    public boolean readOnly() {
        return get(READ_ONLY);
    }

    public long readOnlyRefreshMs() {
        return get(READ_ONLY_REFRESH_MS);
    }

    /** A write waits (then fails with {@link WriteStalledException}) while the log tail holds this many records. */
    public int maxTailRecords() {
        return get(MAX_TAIL_RECORDS);
    }

    public int maxIndexLagRecords() {
        return get(MAX_INDEX_LAG_RECORDS);
    }

    public long indexLagWaitMs() {
        return get(INDEX_LAG_WAIT_MS);
    }

    public long writeStallTimeoutMs() {
        return get(WRITE_STALL_TIMEOUT_MS);
    }

    /** How long one read may run before {@link DeadlineExceededException}; 0: no deadline. */
    public long queryTimeoutMs() {
        return get(QUERY_TIMEOUT_MS);
    }

    public long warmIndexBytes() {
        return get(WARM_INDEX_BYTES);
    }

    public long leaseRenewMs() {
        return get(LEASE_RENEW_MS);
    }

    public long leaseStaleMs() {
        return get(LEASE_STALE_MS);
    }

    public long leaseStandbyRenewMs() {
        return get(LEASE_STANDBY_RENEW_MS);
    }

    public long leaseStandbyStaleMs() {
        return get(LEASE_STANDBY_STALE_MS);
    }

    public long leaseWaitMs() {
        return get(LEASE_WAIT_MS);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && s.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    // Settings end up in logs: never print a secret.
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("Settings[");
        for (Setting<?> s : ROWS) {
            if (s.scope() == Setting.Scope.NODE) {
                Object v = values.get(s.env());
                out.append(out.length() == 9 ? "" : ", ").append(s.field()).append('=')
                        .append(s.secret() && v != null ? "***" : v);
            }
        }
        return out.append(']').toString();
    }
}
