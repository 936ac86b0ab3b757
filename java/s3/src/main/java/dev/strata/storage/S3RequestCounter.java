package dev.strata.storage;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Counts every HTTP attempt the S3 client sends, retries included: the SDK calls
 * {@code beforeTransmission} once per attempt. Multipart steps (create, part, complete, abort) count
 * as PUT requests.
 */
final class S3RequestCounter implements ExecutionInterceptor {

    private final RequestStats stats;

    S3RequestCounter(RequestStats stats) {
        this.stats = stats;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        RequestStats.Op op = opOf(context.request());
        if (op != null) {
            stats.record(op, 0);
        }
    }

    static RequestStats.Op opOf(SdkRequest request) {
        return switch (request) {
            case GetObjectRequest g -> g.range() == null ? RequestStats.Op.GET : RequestStats.Op.GET_RANGE;
            case HeadObjectRequest _ -> RequestStats.Op.HEAD;
            case PutObjectRequest p -> p.ifMatch() != null || p.ifNoneMatch() != null
                    ? RequestStats.Op.PUT_CONDITIONAL : RequestStats.Op.PUT;
            case CreateMultipartUploadRequest _, UploadPartRequest _, CompleteMultipartUploadRequest _,
                 AbortMultipartUploadRequest _ -> RequestStats.Op.PUT;
            case DeleteObjectRequest _ -> RequestStats.Op.DELETE;
            case ListObjectsV2Request _ -> RequestStats.Op.LIST;
            default -> null;
        };
    }
}
