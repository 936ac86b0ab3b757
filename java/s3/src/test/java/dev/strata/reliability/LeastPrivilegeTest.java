package dev.strata.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Collection;
import dev.strata.api.DeleteRequest;
import dev.strata.api.QueryRequest;
import dev.strata.api.Settings;
import dev.strata.api.Where;
import dev.strata.engine.EmbeddedStrata;
import dev.strata.gc.GcReport;
import dev.strata.ops.Backup;
import dev.strata.ops.CopyReport;
import dev.strata.ops.Verifier;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStoreException;
import dev.strata.storage.PreconditionFailedException;
import dev.strata.storage.S3Encryption;
import dev.strata.storage.S3ObjectStore;
import dev.strata.storage.S3Options;
import dev.strata.testing.BucketSettings;
import dev.strata.testing.S3Call;
import dev.strata.testing.S3MockServer;
import dev.strata.testing.S3Operation;
import dev.strata.testing.S3Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Least privilege, proven: the whole engine (writes, compaction, GC, a read-only follower, backup, restore, a node
 * rebuilt from the bucket) runs against an S3 that allows only s3:GetObject, s3:PutObject, s3:DeleteObject and
 * s3:ListBucket (an {@link S3Proxy} playing IAM in front of S3Mock: any other request is answered 403 and fails the
 * test), with SSE-KMS on, and every object it uploads asks for the KMS key and carries a CRC32C.
 */
class LeastPrivilegeTest {

    /** The policy of the README: the four actions of the seed's bucket policy. */
    static final String[] MINIMAL_POLICY = {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"};
    private static final S3Encryption KMS = S3Encryption.kms(S3MockServer.KMS_KEY_ID);

    @TempDir
    Path dir;

    @Test
    void theWholeEngineNeedsOnlyGetPutDeleteAndList() {
        S3Options bucket = S3MockServer.shared().newBucket("least-privilege");
        S3Options backups = S3MockServer.shared().newBucket("least-privilege-backup");
        S3Options restored = S3MockServer.shared().newBucket("least-privilege-restored");
        try (S3Proxy proxy = S3Proxy.inFrontOfS3Mock().allowOnly(MINIMAL_POLICY)) {
            Map<String, String> env = kmsNode(proxy.route(bucket));
            Map<String, String> before;
            try (EmbeddedStrata writer = EmbeddedStrata.open(Settings.defaults(dir.resolve("writer")).withAll(env))) {
                Collection docs = writer.database().createCollection("docs", Map.of("team", "search"), null);
                Collection scratch = writer.database().createCollection("scratch", null, null);
                docs.add(CrashChild.records(0, ids(0, 200), 1));
                scratch.add(CrashChild.records(1, ids(0, 50), 1));
                docs.compact();
                docs.upsert(CrashChild.records(0, ids(150, 100), 2));
                docs.delete(DeleteRequest.ofIds("r3", "r4"));
                docs.compact();
                docs.add(CrashChild.records(7, ids(300, 5), 1));
                docs.delete(DeleteRequest.of(Where.eq("w", 7)));
                assertThat(docs.query(QueryRequest.builder().queryEmbeddings(Content.embedding("r9", 1))
                        .nResults(1).build()).ids()).containsExactly(List.of("r9"));

                followAsReadOnlyNode(env, writer, docs);

                writer.database().deleteCollection("scratch");
                GcReport gc = writer.collectGarbage();
                assertThat(gc.failures()).isEmpty();
                assertThat(gc.objectsDeleted()).as("superseded versions and the dropped collection").isPositive();
                before = RestoreAndFencingTest.snapshot(docs);
            }
            assertThat(before).as("250 written, 2 deleted, 5 added while followed").hasSize(253);

            CopyReport copied;
            try (ObjectStore node = kmsStore(proxy, bucket); ObjectStore target = kmsStore(proxy, backups)) {
                copied = new Backup(node, target, 4).run();
            }
            try (ObjectStore backup = kmsStore(proxy, backups); ObjectStore into = kmsStore(proxy, restored)) {
                Backup.restore(backup, into, false);
            }
            assertThat(copied.objectsCopied()).isPositive();
            // A node with an empty folder on the restored bucket serves the same records, and writes.
            Map<String, String> restoredEnv = kmsNode(proxy.route(restored));
            try (EmbeddedStrata node = EmbeddedStrata.open(Settings.defaults(dir.resolve("new")).withAll(restoredEnv))) {
                Collection docs = node.database().getCollection("docs");
                assertThat(RestoreAndFencingTest.snapshot(docs)).isEqualTo(before);
                docs.upsert(CrashChild.records(2, ids(500, 10), 3));
                docs.compact();
                assertThat(docs.count()).isEqualTo(before.size() + 10);
            }
            try (ObjectStore check = kmsStore(proxy, restored)) {
                assertThat(new Verifier(check).verify().errors()).isEmpty();
            }

            List<S3Call> calls = proxy.calls();
            assertThat(proxy.refused()).as("requests the minimal policy refused").isEmpty();
            Set<S3Operation> used = calls.stream().map(S3Call::operation)
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(S3Operation.class)));
            assertThat(used).as("what the engine did")
                    .contains(S3Operation.GET_OBJECT, S3Operation.PUT_OBJECT, S3Operation.DELETE_OBJECT,
                            S3Operation.LIST_OBJECTS_V2)
                    .allMatch(op -> op.allowedBy(Set.of(MINIMAL_POLICY)));
            assertThat(calls).as("conditional creates (lease, manifests)")
                    .anyMatch(c -> "*".equals(c.header("if-none-match")));
            assertThat(calls).as("compare-and-swaps (lease renewal, catalog)")
                    .anyMatch(c -> c.header("if-match") != null);
            assertThat(proxy.uploadProblems(0, KMS)).as("uploads without SSE-KMS or a CRC32C").isEmpty();
            assertThat(proxy.successfulWrites()).hasSizeGreaterThan(50);
        }
    }

    /** A read-only node on the writer's bucket reads what it wrote, follows it, and is allowed all it does. */
    private void followAsReadOnlyNode(Map<String, String> env, EmbeddedStrata writer, Collection docs) {
        Settings readOnly = Settings.defaults(dir.resolve("reader")).withAll(env)
                .withAll(Map.of("STRATA_READ_ONLY", "true", "STRATA_READ_ONLY_REFRESH_MS", "0"));
        try (EmbeddedStrata reader = EmbeddedStrata.open(readOnly)) {
            Collection r = reader.database().getCollection("docs");
            assertThat(RestoreAndFencingTest.snapshot(r)).isEqualTo(RestoreAndFencingTest.snapshot(docs));
            docs.add(CrashChild.records(3, ids(1000, 5), 1));
            reader.refresh();
            assertThat(r.count()).isEqualTo(docs.count());
        }
        assertThat(writer.holdsWriterLease()).isTrue();
    }

    /**
     * Every method of the S3 store under the minimal policy: reads, ranges, heads of present and absent keys,
     * plain, file, multipart and conditional writes (won and lost), deletes, paged listings.
     */
    @Test
    void everyStoreMethodNeedsOnlyTheMinimalPolicy() throws Exception {
        S3Options bucket = S3MockServer.shared().newBucket("least-privilege-store");
        try (S3Proxy proxy = S3Proxy.inFrontOfS3Mock().allowOnly(MINIMAL_POLICY);
             S3ObjectStore store = new S3ObjectStore(proxy.route(bucket).toBuilder()
                     .multipart(S3Options.MIN_PART_BYTES + 1, S3Options.MIN_PART_BYTES)
                     .listPageSize(2).encryption(KMS).build())) {
            byte[] large = new byte[(int) (2 * S3Options.MIN_PART_BYTES + 10)];
            new Random(1).nextBytes(large);
            store.put("a", "alpha".getBytes(UTF_8));
            store.putFile("b", Files.write(dir.resolve("b"), "bravo".getBytes(UTF_8)));
            store.putImmutableFile("c", dir.resolve("b"));
            store.put("big", large);
            store.putFile("big-file", Files.write(dir.resolve("big"), large));
            String etag = store.putIfAbsent("lease", "epoch 1".getBytes(UTF_8));
            assertThatThrownBy(() -> store.putIfAbsent("lease", "epoch 2".getBytes(UTF_8)))
                    .isInstanceOf(PreconditionFailedException.class);
            store.putIfMatch("lease", "epoch 3".getBytes(UTF_8), etag);
            assertThatThrownBy(() -> store.putIfMatch("lease", "epoch 4".getBytes(UTF_8), etag))
                    .isInstanceOf(PreconditionFailedException.class);
            assertThat(store.get("a")).isEqualTo("alpha".getBytes(UTF_8));
            assertThat(store.getVersioned("lease").data()).isEqualTo("epoch 3".getBytes(UTF_8));
            assertThat(store.getRange("big", 5, 10)).isEqualTo(java.util.Arrays.copyOfRange(large, 5, 15));
            assertThat(store.getRange("big", 0, ByteBuffer.allocateDirect(1000))).isEqualTo(1000);
            assertThat(store.getRange("a", 0, 0)).isEmpty();
            assertThat(store.head("big-file")).map(ObjectMeta::size).contains((long) large.length);
            assertThat(store.head("missing")).isEmpty();
            assertThatThrownBy(() -> store.get("missing")).isInstanceOf(dev.strata.storage.ObjectNotFoundException.class);
            assertThat(store.list("")).extracting(ObjectMeta::key)
                    .containsExactly("a", "b", "big", "big-file", "c", "lease");
            store.delete("a");
            store.delete("missing");
            assertThat(store.list("")).hasSize(5);

            assertThat(proxy.refused()).isEmpty();
            assertThat(proxy.uploadProblems(0, KMS)).isEmpty();
            assertThat(proxy.calls()).extracting(S3Call::operation).contains(S3Operation.CREATE_MULTIPART_UPLOAD,
                    S3Operation.UPLOAD_PART, S3Operation.COMPLETE_MULTIPART_UPLOAD, S3Operation.HEAD_OBJECT);
        }
    }

    /**
     * The one request outside the minimal policy: aborting a multipart upload that failed. Refused, it leaves the
     * upload's parts to the bucket's lifecycle rule; the caller still gets the failure that mattered.
     */
    @Test
    void aFailedMultipartUploadUnderTheMinimalPolicyReportsItsOwnFailure() {
        S3Options bucket = S3MockServer.shared().newBucket("least-privilege-abort");
        byte[] marker = "BREAK-THIS-PART".getBytes(UTF_8);
        byte[] large = new byte[(int) (2 * S3Options.MIN_PART_BYTES)];
        System.arraycopy(marker, 0, large, large.length - 100, marker.length);
        try (S3Proxy proxy = S3Proxy.inFrontOfS3Mock().allowOnly(MINIMAL_POLICY);
             S3ObjectStore store = new S3ObjectStore(proxy.route(bucket).toBuilder()
                     .multipart(S3Options.MIN_PART_BYTES, S3Options.MIN_PART_BYTES).build())) {
            proxy.corruptRequestsHolding(marker);
            assertThatThrownBy(() -> store.put("index", large))
                    .isInstanceOf(ObjectStoreException.class).hasMessageContaining("checksum");
            assertThat(proxy.refused()).extracting(S3Call::operation)
                    .containsExactly(S3Operation.ABORT_MULTIPART_UPLOAD);
            assertThat(store.head("index")).isEmpty();
        }
    }

    /** A node on {@code bucket} with SSE-KMS, durability s3, and GC that keeps nothing it need not. */
    private static Map<String, String> kmsNode(S3Options bucket) {
        Map<String, String> env = new TreeMap<>(BucketSettings.of(bucket, "s3"));
        env.put("STRATA_S3_SSE", "aws:kms");
        env.put("STRATA_S3_KMS_KEY_ID", S3MockServer.KMS_KEY_ID);
        env.put("STRATA_GC_KEEP_VERSIONS", "1");
        env.put("STRATA_GC_TTL_MS", "0");
        env.put("STRATA_GC_GRACE_MS", "0");
        env.put("STRATA_COMPACTION_THRESHOLD_RECORDS", "1000000");
        env.put("STRATA_COMPACTION_INTERVAL_MS", "3600000");
        return env;
    }

    private static ObjectStore kmsStore(S3Proxy proxy, S3Options bucket) {
        return new S3ObjectStore(proxy.route(bucket).toBuilder().encryption(KMS).build());
    }

    private static List<String> ids(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> "r" + i).toList();
    }
}
