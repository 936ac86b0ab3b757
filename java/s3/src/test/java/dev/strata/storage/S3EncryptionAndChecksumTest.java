package dev.strata.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.testing.S3Call;
import dev.strata.testing.S3MockServer;
import dev.strata.testing.S3Operation;
import dev.strata.testing.S3Proxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Server-side encryption and end-to-end checksums of {@link S3ObjectStore}, seen on the wire by an
 * {@link S3Proxy} in front of S3Mock: the headers of every write path, S3Mock's answers, and uploads and
 * downloads corrupted in transit.
 */
class S3EncryptionAndChecksumTest {

    private static final long PART = S3Options.MIN_PART_BYTES;
    /** Above the multipart threshold of the stores here: three parts. */
    private static final int LARGE = (int) (2 * PART + 1_000_000);
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private static S3Options bucket;
    private static S3Proxy proxy;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        bucket = S3MockServer.shared().newBucket("sse");
        proxy = S3Proxy.inFrontOfS3Mock();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    /** A store through the proxy, under a prefix of its own, multipart above 6 MiB in 5 MiB parts. */
    private static S3ObjectStore store(S3Encryption encryption) {
        return new S3ObjectStore(proxy.route(bucket).toBuilder()
                .prefix("p" + PREFIXES.incrementAndGet())
                .multipart(PART + (1 << 20), PART)
                .encryption(encryption)
                .build());
    }

    /** The calls since {@code from} that concern {@code store}'s prefix. */
    private static List<S3Call> callsOf(S3ObjectStore store, int from) {
        String prefix = "/" + bucket.bucket() + "/" + store.options().prefix();
        List<S3Call> all = proxy.calls();
        return all.subList(from, all.size()).stream().filter(c -> c.path().startsWith(prefix)).toList();
    }

    static Stream<S3Encryption> encryptions() {
        return Stream.of(S3Encryption.NONE, S3Encryption.aes256(), S3Encryption.kms(S3MockServer.KMS_KEY_ID),
                S3Encryption.kms(null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encryptions")
    void everyWritePathAsksForTheEncryptionAndS3MockStoresIt(S3Encryption encryption) throws IOException {
        int from = proxy.calls().size();
        List<String> singlePut;
        List<S3Call> calls;
        try (S3ObjectStore store = store(encryption)) {
            singlePut = writeEveryWay(store, dir);
            singlePut.forEach(store::head);
            calls = callsOf(store, from);
        }
        List<S3Call> writes = calls.stream().filter(c -> c.operation() == S3Operation.PUT_OBJECT
                || c.operation() == S3Operation.CREATE_MULTIPART_UPLOAD).toList();
        // put, putFile, putImmutableFile, putIfAbsent, putIfMatch (and its first version), two multipart creations
        assertThat(writes).hasSize(8);
        assertThat(writes).map(c -> c.uploadProblem(encryption)).containsOnlyNulls();
        String expected = encryption.enabled() ? encryption.mode().value() : null;
        // S3Mock answers a PUT, and later a HEAD, with the encryption it stored the object with. (It takes a
        // multipart object's from the completion rather than the creation, which AWS does not: not checked here.)
        for (S3Call answered : calls.stream().filter(c -> c.operation() == S3Operation.PUT_OBJECT
                || c.operation() == S3Operation.HEAD_OBJECT).toList()) {
            assertThat(answered.responseHeaders().get("x-amz-server-side-encryption")).as("%s", answered)
                    .isEqualTo(expected);
            assertThat(answered.responseHeaders().get("x-amz-server-side-encryption-aws-kms-key-id"))
                    .as("%s", answered).isEqualTo(encryption.kmsKeyId());
        }
        assertThat(calls.stream().filter(c -> c.operation() == S3Operation.HEAD_OBJECT)).hasSize(singlePut.size());
    }

    /** Writes through every write method; returns the keys written with a single PUT. */
    private static List<String> writeEveryWay(ObjectStore store, Path dir) throws IOException {
        Random random = new Random(7);
        store.put("small", bytes(random, 1000));
        Path small = Files.write(dir.resolve("small.bin"), bytes(random, 2000));
        store.putFile("small-file", small);
        store.putImmutableFile("immutable", small);
        store.putIfAbsent("lease", "epoch 1".getBytes(UTF_8));
        String etag = store.put("manifest", "v1".getBytes(UTF_8));
        store.putIfMatch("manifest", "v2".getBytes(UTF_8), etag);
        store.put("large", bytes(random, LARGE));
        store.putFile("large-file", Files.write(dir.resolve("large.bin"), bytes(random, LARGE)));
        return List.of("small", "small-file", "immutable", "lease", "manifest");
    }

    @Test
    void everyUploadCarriesACrc32cAndEveryWholeGetIsChecked() throws IOException {
        int from = proxy.calls().size();
        byte[] large = bytes(new Random(3), LARGE);
        try (S3ObjectStore store = store(S3Encryption.NONE)) {
            writeEveryWay(store, dir);
            store.put("large", large);
            assertThat(store.get("large")).isEqualTo(large);
            assertThat(store.get("small")).hasSize(1000);
            List<S3Call> calls = callsOf(store, from);
            // each PUT and part sends a CRC32C, each multipart upload announces and sends a full-object one
            assertThat(calls).map(c -> c.uploadProblem(S3Encryption.NONE)).containsOnlyNulls();
            assertThat(calls.stream().filter(c -> c.operation() == S3Operation.UPLOAD_PART)).hasSize(9);
            assertThat(calls.stream().filter(c -> c.operation() == S3Operation.GET_OBJECT))
                    .isNotEmpty().allMatch(c -> "ENABLED".equals(c.header("x-amz-checksum-mode")));
            // The completion of the last upload named the CRC32C of the whole object, and S3 returns it with it.
            List<S3Call> completions = calls.stream()
                    .filter(c -> c.operation() == S3Operation.COMPLETE_MULTIPART_UPLOAD).toList();
            assertThat(completions.getLast().header("x-amz-checksum-crc32c")).isEqualTo(crc32c(large));
            S3Call get = calls.stream().filter(c -> c.operation() == S3Operation.GET_OBJECT).findFirst().orElseThrow();
            assertThat(get.responseHeaders().get("x-amz-checksum-crc32c")).isEqualTo(crc32c(large));
        }
    }

    @Test
    void anUploadCorruptedInTransitIsRefusedByItsChecksumAndNothingIsStored() {
        byte[] marker = "CORRUPT-ME-IN-TRANSIT".getBytes(UTF_8);
        Random random = new Random(11);
        byte[] small = withMarker(bytes(random, 4000), marker, 1000);
        byte[] large = withMarker(bytes(random, LARGE), marker, (int) PART + 77); // inside the second part
        try (S3ObjectStore store = store(S3Encryption.kms(S3MockServer.KMS_KEY_ID))) {
            proxy.corruptRequestsHolding(marker);
            try {
                int before = proxy.corruptedRequests();
                assertThatThrownBy(() -> store.put("block", small))
                        .isInstanceOf(ObjectStoreException.class).hasMessageContaining("HTTP 400")
                        .hasMessageContaining("checksum");
                assertThatThrownBy(() -> store.putIfAbsent("lease", small))
                        .isInstanceOf(ObjectStoreException.class).hasMessageContaining("checksum");
                assertThatThrownBy(() -> store.put("index", large))
                        .isInstanceOf(ObjectStoreException.class).hasMessageContaining("checksum");
                assertThat(proxy.corruptedRequests() - before).as("bodies corrupted on the way").isEqualTo(3);
            } finally {
                proxy.corruptRequestsHolding(null);
            }
            assertThat(store.head("block")).isEmpty();
            assertThat(store.head("lease")).isEmpty();
            assertThat(store.head("index")).isEmpty();
            // The same bytes, uncorrupted, go through.
            store.put("block", small);
            assertThat(store.get("block")).isEqualTo(small);
        }
    }

    /**
     * What the checksum buys: S3Mock does not check the SigV4 payload hash, so without a checksum the same
     * corruption is stored silently. (AWS S3 would also refuse it by the payload signature; with an unsigned
     * payload over TLS, as SDKs send by default on https, the checksum is the only end-to-end check.)
     */
    @Test
    void withoutAChecksumTheSameCorruptionWouldBeStored() {
        byte[] marker = "CORRUPT-ME-IN-TRANSIT".getBytes(UTF_8);
        byte[] data = withMarker(bytes(new Random(5), 4000), marker, 100);
        S3Options routed = proxy.route(bucket);
        try (S3Client plain = S3Client.builder().endpointOverride(routed.endpoint()).forcePathStyle(true)
                .region(Region.of(routed.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(routed.accessKeyId(), routed.secretAccessKey())))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
             S3ObjectStore store = new S3ObjectStore(bucket)) {
            proxy.corruptRequestsHolding(marker);
            try {
                plain.putObject(b -> b.bucket(bucket.bucket()).key("unchecked"), RequestBody.fromBytes(data));
            } finally {
                proxy.corruptRequestsHolding(null);
            }
            byte[] stored = store.get("unchecked");
            assertThat(stored).hasSameSizeAs(data).isNotEqualTo(data);
        }
    }

    @Test
    void aDownloadCorruptedInTransitIsRetriedAndFailsOnlyWhenEveryAttemptIsCorrupt() {
        byte[] marker = "CORRUPT-ME-ON-THE-WAY-BACK".getBytes(UTF_8);
        byte[] data = withMarker(bytes(new Random(9), 4000), marker, 2000);
        try (S3ObjectStore store = new S3ObjectStore(proxy.route(bucket).toBuilder()
                .prefix("p" + PREFIXES.incrementAndGet()).maxRetries(2).build())) {
            store.put("manifest", data);

            // once: the second attempt reads the whole object
            int corruptedBefore = proxy.corruptedResponses();
            long getsBefore = store.stats().requests(RequestStats.Op.GET);
            proxy.corruptResponsesHolding(marker, 1);
            try {
                assertThat(store.get("manifest")).isEqualTo(data);
            } finally {
                proxy.corruptResponsesHolding(null);
            }
            assertThat(proxy.corruptedResponses() - corruptedBefore).isEqualTo(1);
            assertThat(store.stats().requests(RequestStats.Op.GET) - getsBefore).isEqualTo(2);

            // on every attempt: the read fails, naming the checksum and the attempts, and returns no bytes
            corruptedBefore = proxy.corruptedResponses();
            proxy.corruptResponsesHolding(marker);
            try {
                assertThatThrownBy(() -> store.get("manifest"))
                        .isInstanceOf(ObjectStoreException.class).hasMessageContaining("checksum")
                        .hasMessageContaining("3 attempt");
            } finally {
                proxy.corruptResponsesHolding(null);
            }
            assertThat(proxy.corruptedResponses() - corruptedBefore).isEqualTo(3);
            assertThat(store.get("manifest")).isEqualTo(data);
        }
    }

    @Test
    void isCorruptDownloadRecognisesOnlyChecksumFailures() {
        var mismatch = software.amazon.awssdk.core.exception.SdkClientException.create(
                "Unable to unmarshall response (Data read has a different checksum than expected.)");
        assertThat(S3ObjectStore.isCorruptDownload(mismatch)).isTrue();
        assertThat(S3ObjectStore.isCorruptDownload(new RuntimeException("wrapped", mismatch))).isTrue();
        assertThat(S3ObjectStore.isCorruptDownload(
                software.amazon.awssdk.core.exception.SdkClientException.create("Unable to load credentials"))).isFalse();
        assertThat(S3ObjectStore.isCorruptDownload(new IllegalStateException("different checksum than expected")))
                .isFalse();
    }

    @Test
    void aKmsKeyTheStoreCannotUseFailsTheWriteWithS3sError() {
        try (S3ObjectStore store = store(S3Encryption.kms("no-such-key"))) {
            assertThatThrownBy(() -> store.put("k", new byte[] {1}))
                    .isInstanceOf(ObjectStoreException.class)
                    .hasMessageContaining("HTTP 400 KMS.NotFoundException")
                    .hasMessageContaining("(key k)");
            assertThat(store.head("k")).isEmpty();
        }
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] withMarker(byte[] data, byte[] marker, int at) {
        System.arraycopy(marker, 0, data, at, marker.length);
        return data;
    }

    private static String crc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return S3WriteRequests.base64Crc32c(crc.getValue());
    }
}
