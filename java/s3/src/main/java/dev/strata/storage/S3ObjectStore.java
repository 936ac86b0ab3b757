package dev.strata.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An {@link ObjectStore} on an S3 bucket (AWS or S3-compatible) through the AWS SDK v2 sync client.
 *
 * <ul>
 *   <li>Retries: in the SDK and only there (no retrying layer above it, so attempts never multiply):
 *       its standard strategy retries throttling (503 SlowDown, 429), 5xx (500 InternalError) and I/O
 *       errors and timeouts, and a download whose bytes fail their checksum, at most {@link S3Options#maxRetries()} times, each after an exponential
 *       backoff with full jitter (a uniform random delay up to {@link #BACKOFF_BASE} x 2^attempt, capped
 *       at {@link #BACKOFF_MAX}; from {@link #THROTTLED_BACKOFF_BASE} up to {@link #THROTTLED_BACKOFF_MAX}
 *       after throttling), with the SDK's retry token bucket that stops retrying when most attempts fail.
 *       The last failure names its status, code and number of attempts. A 4xx other than throttling is
 *       never retried; a 412 becomes {@link PreconditionFailedException}.</li>
 *   <li>A conditional write (putIfAbsent, putIfMatch) is retried too: its condition makes a retry harmless
 *       (it cannot overwrite another writer's object), and a retry that meets our own earlier attempt, applied
 *       but unanswered (a 5xx or timeout after S3 stored it), gets a 412 that is resolved by reading the object
 *       back ({@link #conditionalPut}).</li>
 *   <li>At most {@link S3Options#maxRequestsInFlight()} requests are sent at once (a semaphore in
 *       front of the connection pool), so a burst of block reads queues here instead of failing. A request
 *       holds its slot through its retries and their backoff: a throttled node sends less, not more.</li>
 *   <li>Concurrent GETs of one key share one request: a cold query fanning out over the same block
 *       costs one round trip.</li>
 *   <li>Every attempt sent is counted in {@link #stats()} (an SDK interceptor sees each retry).</li>
 *   <li>Keys are relative to {@link S3Options#prefix()}, which callers never see.</li>
 *   <li>Every write asks for {@link S3Options#encryption()} and carries a CRC32C that S3 checks before it
 *       stores anything ({@link S3WriteRequests}); a GET of a whole object checks the CRC32C S3 returns
 *       with it. A range carries no checksum from S3: the blocks read that way carry Strata's own.</li>
 * </ul>
 */
public final class S3ObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);
    /** Parts of one multipart upload sent at once: enough to fill a link, bounded in memory. */
    private static final int PART_UPLOAD_PARALLELISM = 4;
    private static final int RANGE_COPY_BUFFER_BYTES = 256 << 10;
    /** Backoff after a 5xx or I/O failure: full jitter up to base x 2^attempt (the SDK's standard values). */
    static final Duration BACKOFF_BASE = Duration.ofMillis(50);
    static final Duration BACKOFF_MAX = Duration.ofSeconds(5);
    /** Backoff after throttling (503 SlowDown): longer, since the bucket asked for fewer requests. */
    static final Duration THROTTLED_BACKOFF_BASE = Duration.ofSeconds(1);
    static final Duration THROTTLED_BACKOFF_MAX = Duration.ofSeconds(20);

    private final S3Options options;
    private final String bucket;
    private final String keyPrefix;
    private final RequestStats stats = new RequestStats();
    private final S3Client s3;
    private final S3WriteRequests writes;
    private final Semaphore inFlight;
    private final ConcurrentHashMap<String, PendingGet> pendingGets = new ConcurrentHashMap<>();
    private final LongAdder coalescedGets = new LongAdder();

    /** One GET in flight and how many other callers wait on it. */
    private static final class PendingGet {
        final CompletableFuture<VersionedBytes> result = new CompletableFuture<>();
        final AtomicInteger joiners = new AtomicInteger();
    }

    public S3ObjectStore(S3Options options) {
        this.options = options;
        this.bucket = options.bucket();
        this.keyPrefix = options.prefix();
        this.inFlight = new Semaphore(options.maxRequestsInFlight(), true);
        this.s3 = buildClient(options, new S3RequestCounter(stats));
        this.writes = new S3WriteRequests(bucket, options.encryption());
    }

    private static S3Client buildClient(S3Options o, S3RequestCounter counter) {
        ApacheHttpClient.Builder http = ApacheHttpClient.builder()
                // one spare connection per part uploader so a multipart upload never starves on the pool
                .maxConnections(o.maxRequestsInFlight() + PART_UPLOAD_PARALLELISM)
                .connectionTimeout(Duration.ofMillis(o.socketTimeoutMs()))
                .socketTimeout(Duration.ofMillis(o.socketTimeoutMs()));
        var retry = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(o.maxRetries() + 1)
                // exponentialDelay is full jitter: a uniform delay in [0, min(max, base x 2^attempt))
                .backoffStrategy(BackoffStrategy.exponentialDelay(BACKOFF_BASE, BACKOFF_MAX))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(THROTTLED_BACKOFF_BASE, THROTTLED_BACKOFF_MAX))
                .retryOnException(S3ObjectStore::isCorruptDownload)
                .build();
        var builder = S3Client.builder()
                .httpClientBuilder(http)
                .region(resolveRegion(o))
                .credentialsProvider(credentials(o))
                .forcePathStyle(o.pathStyle())
                // Explicit, so that AWS_REQUEST_CHECKSUM_CALCULATION=when_required or a profile cannot turn the
                // checksums off: every upload sends one, every GET that gets one back checks it.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED)
                .overrideConfiguration(c -> c.retryStrategy(retry).addExecutionInterceptor(counter));
        if (o.endpoint() != null) {
            builder.endpointOverride(o.endpoint());
        }
        return builder.build();
    }

    /**
     * A response body whose bytes do not match the checksum S3 sent with them was damaged on the way (or, on
     * a store that is not atomic under an overwrite, read half from each version): the object itself is
     * whole, so the GET is worth another attempt. The SDK raises a plain {@link SdkClientException} for it
     * (only the legacy MD5/CRC32 path has a class of its own), so the message is the one mark; a test
     * against a proxy that corrupts a download pins it to the SDK version in the BOM.
     */
    static boolean isCorruptDownload(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof software.amazon.awssdk.core.exception.Crc32MismatchException) {
                return true;
            }
            if (t instanceof SdkClientException && t.getMessage() != null
                    && t.getMessage().contains("different checksum than expected")) {
                return true;
            }
        }
        return false;
    }

    private static Region resolveRegion(S3Options o) {
        if (o.region() != null) {
            return Region.of(o.region());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            if (o.endpoint() != null) {
                return Region.US_EAST_1;
            }
            throw new IllegalArgumentException("no S3 region: set the region option or AWS_REGION", e);
        }
    }

    private static AwsCredentialsProvider credentials(S3Options o) {
        if (o.accessKeyId() != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(o.accessKeyId(), o.secretAccessKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    public S3Options options() {
        return options;
    }

    /** GETs answered by joining another caller's identical request in flight. */
    public long coalescedGets() {
        return coalescedGets.sum();
    }

    @Override
    public byte[] get(String key) {
        return getVersioned(key).data();
    }

    @Override
    public VersionedBytes getVersioned(String key) {
        String full = fullKey(key);
        PendingGet mine = new PendingGet();
        PendingGet pending = pendingGets.compute(key, (k, existing) -> {
            if (existing == null) {
                return mine;
            }
            existing.joiners.incrementAndGet();
            return existing;
        });
        if (pending != mine) {
            coalescedGets.increment();
            VersionedBytes shared = Futures.join(pending.result);
            return new VersionedBytes(shared.data().clone(), shared.etag());
        }
        try {
            VersionedBytes v = call("get", key, () -> {
                ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(full)
                        .checksumMode(ChecksumMode.ENABLED));
                return new VersionedBytes(r.asByteArrayUnsafe(), unquote(r.response().eTag()));
            });
            stats.addBytes(RequestStats.Op.GET, v.data().length);
            mine.result.complete(v);
            pendingGets.remove(key, mine);
            // joiners copy from the shared array; the leader may hand it out only when nobody shares it
            return mine.joiners.get() == 0 ? v : new VersionedBytes(v.data().clone(), v.etag());
        } catch (RuntimeException | Error e) {
            mine.result.completeExceptionally(e); // joiners must never wait on a leader that died
            throw e;
        } finally {
            pendingGets.remove(key, mine);
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0, got " + offset + ", " + length);
        }
        String full = fullKey(key);
        if (length == 0) {
            if (head(key).isEmpty()) {
                throw new ObjectNotFoundException(key);
            }
            return new byte[0];
        }
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        try {
            byte[] data = call("ranged get", key,
                    () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(full).range(range)).asByteArrayUnsafe());
            stats.addBytes(RequestStats.Op.GET_RANGE, data.length);
            return data;
        } catch (RangeNotSatisfiableException e) {
            return new byte[0]; // the object exists (else 404) and ends before offset
        }
    }

    @Override
    public int getRange(String key, long offset, ByteBuffer into) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        if (!into.hasRemaining()) {
            return getRange(key, offset, 0).length;
        }
        String full = fullKey(key);
        String range = "bytes=" + offset + "-" + (offset + into.remaining() - 1);
        int start = into.position();
        try {
            int n = call("ranged get", key, () -> s3.getObject(b -> b.bucket(bucket).key(full).range(range),
                    (response, body) -> {
                        // The SDK calls this again when it retries: start over at the same place.
                        into.position(start);
                        // A plain copy loop: Channels.newChannel's reads, 8 KB each with interruptible-channel
                        // bookkeeping around every one, cost more CPU than the socket reads themselves.
                        byte[] buffer = new byte[RANGE_COPY_BUFFER_BYTES];
                        int read;
                        while (into.hasRemaining()
                                && (read = body.read(buffer, 0, Math.min(buffer.length, into.remaining()))) >= 0) {
                            into.put(buffer, 0, read);
                        }
                        return into.position() - start;
                    }));
            stats.addBytes(RequestStats.Op.GET_RANGE, n);
            return n;
        } catch (RangeNotSatisfiableException e) {
            return 0; // the object exists (else 404) and ends before offset
        }
    }

    @Override
    public Optional<ObjectMeta> head(String key) {
        String full = fullKey(key);
        try {
            HeadObjectResponse r = call("head", key, () -> s3.headObject(b -> b.bucket(bucket).key(full)));
            return Optional.of(new ObjectMeta(key, r.contentLength(), unquote(r.eTag()), r.lastModified()));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public String put(String key, byte[] data) {
        String full = fullKey(key);
        String etag = data.length > options.multipartThresholdBytes()
                ? multipartUpload(key, full, data.length, (offset, len) -> Arrays.copyOfRange(data, (int) offset, (int) offset + len))
                : putObject(key, writes.put(full).build(), RequestBody.fromBytes(data), data.length);
        pendingGets.remove(key);
        return etag;
    }

    @Override
    public String putFile(String key, Path file) {
        String full = fullKey(key);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ObjectStoreException("cannot read upload source " + file, key, e);
        }
        String etag = size > options.multipartThresholdBytes()
                ? multipartUpload(key, full, size, (offset, len) -> readFileRange(key, file, offset, len))
                : putObject(key, writes.put(full).build(), RequestBody.fromFile(file), size);
        pendingGets.remove(key);
        return etag;
    }

    @Override
    public String putIfAbsent(String key, byte[] data) {
        PutObjectRequest request = writes.put(fullKey(key)).ifNoneMatch("*").build();
        return conditionalPut(key, request, data, "object already exists");
    }

    @Override
    public String putIfMatch(String key, byte[] data, String etag) {
        if (etag == null || etag.isEmpty()) {
            throw new IllegalArgumentException("putIfMatch needs the etag the caller read");
        }
        PutObjectRequest request = writes.put(fullKey(key)).ifMatch('"' + unquote(etag) + '"').build();
        try {
            return conditionalPut(key, request, data, "etag changed");
        } catch (ObjectNotFoundException e) {
            throw new PreconditionFailedException(key, "object does not exist");
        }
    }

    /**
     * A conditional PUT. When an attempt's outcome was unknown (a timeout or 5xx after the store may
     * have applied it) the SDK retries, and the retry can lose to our own first attempt with a 412.
     * Such a 412 is resolved by reading the object back: our exact bytes mean our write won. Objects
     * written conditionally should therefore carry something unique to their writer (node id, epoch).
     */
    private String conditionalPut(String key, PutObjectRequest request, byte[] data, String lostBecause) {
        try {
            return putObject(key, request, RequestBody.fromBytes(data), data.length);
        } catch (PreconditionFailedException e) {
            if (e.getCause() instanceof SdkException sdk && sdk.numAttempts() != null && sdk.numAttempts() > 1) {
                try {
                    VersionedBytes current = getVersioned(key);
                    if (Arrays.equals(current.data(), data)) {
                        LOG.info("conditional write of {} won on an earlier attempt whose reply was lost", key);
                        return current.etag();
                    }
                } catch (ObjectNotFoundException gone) {
                    // deleted since: we did not win
                }
            }
            throw new PreconditionFailedException(key, lostBecause, e.getCause());
        } finally {
            pendingGets.remove(key);
        }
    }

    private String putObject(String key, PutObjectRequest request, RequestBody body, long size) {
        String etag = call("put", key, () -> unquote(s3.putObject(request, body).eTag()));
        stats.addBytes(request.ifMatch() != null || request.ifNoneMatch() != null
                ? RequestStats.Op.PUT_CONDITIONAL : RequestStats.Op.PUT, size);
        return etag;
    }

    /** The bytes of one part of an upload. */
    @FunctionalInterface
    private interface PartSource {
        byte[] read(long offset, int length);
    }

    private String multipartUpload(String key, String full, long size, PartSource source) {
        long partBytes = options.multipartPartBytes();
        long partCount = (size + partBytes - 1) / partBytes;
        if (partCount > S3Options.MAX_PARTS) {
            throw new ObjectStoreException("object of " + size + " bytes needs " + partCount
                    + " parts, more than S3's " + S3Options.MAX_PARTS + ": raise multipartPartBytes", key);
        }
        long crc32c = crc32c(source, size, partBytes);
        String uploadId = call("create multipart upload", key,
                () -> s3.createMultipartUpload(writes.createMultipartUpload(full)).uploadId());
        try {
            List<CompletedPart> parts = uploadParts(key, full, uploadId, size, (int) partCount, source);
            return call("complete multipart upload", key, () -> unquote(s3.completeMultipartUpload(
                    writes.completeMultipartUpload(full, uploadId, parts, crc32c)).eTag()));
        } catch (RuntimeException e) {
            abortQuietly(key, full, uploadId);
            throw e;
        }
    }

    private List<CompletedPart> uploadParts(String key, String full, String uploadId, long size, int partCount,
                                            PartSource source) {
        long partBytes = options.multipartPartBytes();
        List<Future<CompletedPart>> futures = new ArrayList<>(partCount);
        try (ExecutorService uploaders = Executors.newFixedThreadPool(
                Math.min(PART_UPLOAD_PARALLELISM, partCount), Thread.ofVirtual().name("s3-part-", 0).factory())) {
            for (int i = 0; i < partCount; i++) {
                int partNumber = i + 1;
                long offset = i * partBytes;
                int length = (int) Math.min(partBytes, size - offset);
                futures.add(uploaders.submit(() -> {
                    byte[] bytes = source.read(offset, length);
                    UploadPartResponse r = call("upload part " + partNumber, key, () -> s3.uploadPart(
                            writes.uploadPart(full, uploadId, partNumber, bytes.length), RequestBody.fromBytes(bytes)));
                    stats.addBytes(RequestStats.Op.PUT, bytes.length);
                    return CompletedPart.builder().partNumber(partNumber).eTag(r.eTag())
                            .checksumCRC32C(r.checksumCRC32C()).build();
                }));
            }
            List<CompletedPart> parts = new ArrayList<>(partCount);
            for (Future<CompletedPart> f : futures) {
                parts.add(f.get());
            }
            return parts;
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new ObjectStoreException("multipart upload failed", key, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException("interrupted during multipart upload", key, e);
        }
    }

    /**
     * The CRC32C of a whole upload, read from its source once more in part-sized pieces: the parts go up out of
     * order, and S3 compares this with the object it assembles from them.
     */
    private static long crc32c(PartSource source, long size, long pieceBytes) {
        CRC32C crc = new CRC32C();
        for (long offset = 0; offset < size; offset += pieceBytes) {
            crc.update(source.read(offset, (int) Math.min(pieceBytes, size - offset)));
        }
        return crc.getValue();
    }

    private void abortQuietly(String key, String full, String uploadId) {
        try {
            call("abort multipart upload", key,
                    () -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(full).uploadId(uploadId)));
        } catch (RuntimeException e) {
            LOG.warn("cannot abort multipart upload {} of {}: {} (a bucket lifecycle rule should expire it)",
                    uploadId, key, e.getMessage());
        }
    }

    private static byte[] readFileRange(String key, Path file, long offset, int length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(length);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new ObjectStoreException("upload source " + file + " shrank during upload", key);
                }
            }
            return buf.array();
        } catch (IOException e) {
            throw new ObjectStoreException("cannot read upload source " + file, key, e);
        }
    }

    @Override
    public void delete(String key) {
        String full = fullKey(key);
        try {
            call("delete", key, () -> s3.deleteObject(b -> b.bucket(bucket).key(full)));
        } finally {
            pendingGets.remove(key);
        }
    }

    @Override
    public List<ObjectMeta> list(String prefix) {
        String full = keyPrefix + ObjectKeys.validatePrefix(prefix);
        return call("list", prefix, () -> {
            List<ObjectMeta> out = new ArrayList<>();
            // each page the paginator fetches is one LIST request, counted by the interceptor
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(full)
                    .maxKeys(options.listPageSize()))) {
                for (S3Object o : page.contents()) {
                    out.add(new ObjectMeta(o.key().substring(keyPrefix.length()), o.size(), unquote(o.eTag()),
                            o.lastModified()));
                }
            }
            return out;
        });
    }

    @Override
    public RequestStats stats() {
        return stats;
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + keyPrefix + (options.endpoint() == null ? "" : " at " + options.endpoint());
    }

    @Override
    public void close() {
        s3.close();
    }

    private String fullKey(String key) {
        return keyPrefix + ObjectKeys.validate(key);
    }

    /** Thrown inside {@link #call} for a 416: the caller decides what an empty range means. */
    private static final class RangeNotSatisfiableException extends ObjectStoreException {
        RangeNotSatisfiableException(String key, Throwable cause) {
            super("range not satisfiable", key, cause);
        }
    }

    /** Runs one logical request within the in-flight bound and maps SDK failures to store exceptions. */
    private <T> T call(String what, String key, Supplier<T> request) {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException("interrupted while waiting for a request slot", key, e);
        }
        try {
            return request.get();
        } catch (SdkException e) {
            throw failure(what, key, e);
        } finally {
            inFlight.release();
        }
    }

    private ObjectStoreException failure(String what, String key, SdkException e) {
        String attempts = e.numAttempts() == null ? "" : " after " + e.numAttempts() + " attempt(s)";
        if (e instanceof AwsServiceException s) {
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            if ("NoSuchBucket".equals(code)) {
                return new ObjectStoreException(what + " failed: bucket " + bucket + " does not exist", key, e);
            }
            switch (s.statusCode()) {
                case 404 -> {
                    return new ObjectNotFoundException(key);
                }
                // 409 ConditionalRequestConflict: a concurrent conditional write is in progress; the
                // caller re-reads and retries exactly as after a lost compare-and-swap
                case 412, 409 -> {
                    return new PreconditionFailedException(key, "HTTP " + s.statusCode() + (code == null ? "" : " " + code), e);
                }
                case 416 -> {
                    return new RangeNotSatisfiableException(key, e);
                }
                default -> {
                    // S3's message says which header or check failed (a checksum, a KMS key, a denied action)
                    String message = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
                    return new ObjectStoreException(what + " failed: HTTP " + s.statusCode()
                            + (code == null ? "" : " " + code) + (message == null ? "" : " (" + message + ")")
                            + attempts + " on " + describe(), key, e);
                }
            }
        }
        return new ObjectStoreException(what + " failed" + attempts + " on " + describe() + ": " + e.getMessage(),
                key, e);
    }

    private static String unquote(String etag) {
        if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        return etag;
    }
}
