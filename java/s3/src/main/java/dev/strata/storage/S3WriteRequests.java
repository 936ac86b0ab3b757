package dev.strata.storage;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * The write requests of one S3 store, built in one place so that none can miss what every write needs:
 * <ul>
 *   <li>the store's server-side encryption ({@code x-amz-server-side-encryption}, and the KMS key id), on
 *       every PUT and on the creation of every multipart upload (S3 takes it there for the whole object);</li>
 *   <li>a CRC32C checksum S3 verifies before it stores anything ({@code x-amz-checksum-crc32c}, computed by
 *       the SDK as it sends the body); a multipart upload checks each part and then the whole object
 *       ({@code FULL_OBJECT}), against the CRC32C of the source computed here.</li>
 * </ul>
 */
final class S3WriteRequests {

    private final String bucket;
    private final ServerSideEncryption sse;
    private final String kmsKeyId;

    S3WriteRequests(String bucket, S3Encryption encryption) {
        this.bucket = bucket;
        this.sse = switch (encryption.mode()) {
            case NONE -> null;
            case AES256 -> ServerSideEncryption.AES256;
            case AWS_KMS -> ServerSideEncryption.AWS_KMS;
        };
        this.kmsKeyId = encryption.kmsKeyId();
    }

    /** A PUT of {@code fullKey}: add the conditional header, if any, to the builder. */
    PutObjectRequest.Builder put(String fullKey) {
        return PutObjectRequest.builder().bucket(bucket).key(fullKey)
                .serverSideEncryption(sse).ssekmsKeyId(kmsKeyId)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C);
    }

    CreateMultipartUploadRequest createMultipartUpload(String fullKey) {
        return CreateMultipartUploadRequest.builder().bucket(bucket).key(fullKey)
                .serverSideEncryption(sse).ssekmsKeyId(kmsKeyId)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumType(ChecksumType.FULL_OBJECT)
                .build();
    }

    UploadPartRequest uploadPart(String fullKey, String uploadId, int partNumber, long length) {
        return UploadPartRequest.builder().bucket(bucket).key(fullKey).uploadId(uploadId).partNumber(partNumber)
                .contentLength(length).checksumAlgorithm(ChecksumAlgorithm.CRC32_C)
                .build();
    }

    /** Completes an upload whose whole content has the CRC32C {@code crc32c}: S3 refuses it if its parts do not. */
    CompleteMultipartUploadRequest completeMultipartUpload(String fullKey, String uploadId, List<CompletedPart> parts,
                                                           long crc32c) {
        return CompleteMultipartUploadRequest.builder().bucket(bucket).key(fullKey).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts))
                .checksumType(ChecksumType.FULL_OBJECT).checksumCRC32C(base64Crc32c(crc32c))
                .build();
    }

    /** A CRC32C as S3 writes it in headers: the four bytes, big-endian, in base64. */
    static String base64Crc32c(long crc32c) {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc32c).array());
    }
}
