package dev.strata.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.S3Options;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AccessDeniedException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The proxy's IAM model, checked with real SDK requests: each S3 operation is told apart and needs the actions
 * AWS documents for it, and under the minimal policy (GetObject, PutObject, DeleteObject, ListBucket) exactly
 * the operations those actions cover go through; the others get 403 and never reach the store.
 */
class S3ProxyPolicyTest {

    private static S3Proxy proxy;
    private static S3Options bucket;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        bucket = S3MockServer.shared().newBucket("policy");
        proxy = S3Proxy.inFrontOfS3Mock().allowOnly("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket");
        S3Options routed = proxy.route(bucket);
        s3 = S3Client.builder().endpointOverride(routed.endpoint()).forcePathStyle(true)
                .region(Region.of(routed.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(routed.accessKeyId(), routed.secretAccessKey())))
                .build();
    }

    @AfterAll
    static void stop() {
        s3.close();
        proxy.close();
    }

    /** Runs one request and returns how the proxy saw it. */
    private static S3Call send(Consumer<S3Client> request) {
        int before = proxy.calls().size();
        try {
            request.accept(s3);
        } catch (S3Exception refusedOrFailed) {
            // the call record says which
        }
        List<S3Call> calls = proxy.calls();
        assertThat(calls).hasSize(before + 1);
        return calls.getLast();
    }

    private static void allowed(S3Operation operation, Consumer<S3Client> request) {
        S3Call call = send(request);
        assertThat(call.operation()).isEqualTo(operation);
        assertThat(call.refused()).as("%s", call).isFalse();
        assertThat(call.status() / 100).as("%s", call).isEqualTo(2);
    }

    private static void refused(S3Operation operation, Consumer<S3Client> request) {
        S3Call call = send(request);
        assertThat(call.operation()).isEqualTo(operation);
        assertThat(call.refused()).as("%s", call).isTrue();
        assertThat(call.status()).isEqualTo(403);
    }

    @Test
    void theMinimalPolicyAllowsExactlyWhatItsFourActionsCover() {
        String b = bucket.bucket();
        allowed(S3Operation.PUT_OBJECT, c -> c.putObject(r -> r.bucket(b).key("a"), RequestBody.fromString("one")));
        allowed(S3Operation.PUT_OBJECT, c -> c.putObject(r -> r.bucket(b).key("b").ifNoneMatch("*"),
                RequestBody.fromString("two")));
        allowed(S3Operation.GET_OBJECT, c -> c.getObjectAsBytes(r -> r.bucket(b).key("a")));
        allowed(S3Operation.GET_OBJECT, c -> c.getObjectAsBytes(r -> r.bucket(b).key("a").range("bytes=0-1")));
        allowed(S3Operation.HEAD_OBJECT, c -> c.headObject(r -> r.bucket(b).key("a")));
        allowed(S3Operation.LIST_OBJECTS_V2, c -> c.listObjectsV2(r -> r.bucket(b).prefix("a")));
        allowed(S3Operation.LIST_OBJECTS, c -> c.listObjects(r -> r.bucket(b)));
        allowed(S3Operation.HEAD_BUCKET, c -> c.headBucket(r -> r.bucket(b)));
        allowed(S3Operation.COPY_OBJECT, c -> c.copyObject(r -> r.sourceBucket(b).sourceKey("a")
                .destinationBucket(b).destinationKey("c")));
        allowed(S3Operation.DELETE_OBJECT, c -> c.deleteObject(r -> r.bucket(b).key("c")));
        allowed(S3Operation.DELETE_OBJECTS, c -> c.deleteObjects(r -> r.bucket(b)
                .delete(d -> d.objects(o -> o.key("b")))));

        String upload = s3.createMultipartUpload(r -> r.bucket(b).key("m")).uploadId();
        assertThat(proxy.calls().getLast().operation()).isEqualTo(S3Operation.CREATE_MULTIPART_UPLOAD);
        allowed(S3Operation.UPLOAD_PART, c -> c.uploadPart(r -> r.bucket(b).key("m").uploadId(upload).partNumber(1),
                RequestBody.fromString("part")));
        allowed(S3Operation.UPLOAD_PART_COPY, c -> c.uploadPartCopy(r -> r.sourceBucket(b).sourceKey("a")
                .destinationBucket(b).destinationKey("m").uploadId(upload).partNumber(2)));
        refused(S3Operation.LIST_PARTS, c -> c.listParts(r -> r.bucket(b).key("m").uploadId(upload)));
        refused(S3Operation.LIST_MULTIPART_UPLOADS, c -> c.listMultipartUploads(r -> r.bucket(b)));
        refused(S3Operation.ABORT_MULTIPART_UPLOAD, c -> c.abortMultipartUpload(r -> r.bucket(b).key("m")
                .uploadId(upload)));

        refused(S3Operation.LIST_OBJECT_VERSIONS, c -> c.listObjectVersions(r -> r.bucket(b)));
        refused(S3Operation.UNKNOWN, c -> c.getObjectAcl(r -> r.bucket(b).key("a")));
        refused(S3Operation.UNKNOWN, c -> c.getObjectTagging(r -> r.bucket(b).key("a")));
        refused(S3Operation.UNKNOWN, c -> c.putObjectTagging(r -> r.bucket(b).key("a")
                .tagging(t -> t.tagSet(s -> s.key("k").value("v")))));
        refused(S3Operation.UNKNOWN, c -> c.getObjectAsBytes(r -> r.bucket(b).key("a").versionId("v1")));
        refused(S3Operation.UNKNOWN, c -> c.getBucketPolicy(r -> r.bucket(b)));
        refused(S3Operation.CREATE_BUCKET, c -> c.createBucket(r -> r.bucket(b + "-other")));
        refused(S3Operation.DELETE_BUCKET, c -> c.deleteBucket(r -> r.bucket(b)));

        assertThatThrownBy(() -> s3.abortMultipartUpload(r -> r.bucket(b).key("m").uploadId(upload)))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("not authorized to perform: s3:AbortMultipartUpload");
    }

    @Test
    void everyOperationNeedsTheActionsAwsDocumentsForIt() {
        assertThat(S3Operation.HEAD_OBJECT.iamActions()).containsExactly("s3:GetObject");
        assertThat(S3Operation.COPY_OBJECT.iamActions()).containsExactlyInAnyOrder("s3:GetObject", "s3:PutObject");
        assertThat(S3Operation.COMPLETE_MULTIPART_UPLOAD.iamActions()).containsExactly("s3:PutObject");
        assertThat(S3Operation.ABORT_MULTIPART_UPLOAD.iamActions()).containsExactly("s3:AbortMultipartUpload");
        assertThat(S3Operation.HEAD_BUCKET.iamActions()).containsExactly("s3:ListBucket");
        assertThat(S3Operation.UNKNOWN.allowedBy(java.util.Set.of("s3:GetObject"))).isFalse();
    }
}
