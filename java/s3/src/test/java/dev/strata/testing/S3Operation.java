package dev.strata.testing;

import java.util.Map;
import java.util.Set;

/**
 * The S3 API operation an HTTP request is, told from its method, path and query as S3 tells it (path-style
 * addressing: {@code /bucket} or {@code /bucket/key}), and the IAM actions S3 authorizes it with. The mapping
 * follows AWS's "Actions, resources and condition keys for Amazon S3" and the API reference of each operation:
 * HEAD is authorized as {@code s3:GetObject}, every step of a multipart upload but the abort as
 * {@code s3:PutObject}, a copy as {@code s3:GetObject} on the source and {@code s3:PutObject} on the target,
 * HeadBucket as {@code s3:ListBucket}. A request this class cannot name is {@link #UNKNOWN}, which no policy allows.
 */
public enum S3Operation {
    GET_OBJECT("s3:GetObject"),
    HEAD_OBJECT("s3:GetObject"),
    PUT_OBJECT("s3:PutObject"),
    COPY_OBJECT("s3:GetObject", "s3:PutObject"),
    CREATE_MULTIPART_UPLOAD("s3:PutObject"),
    UPLOAD_PART("s3:PutObject"),
    UPLOAD_PART_COPY("s3:GetObject", "s3:PutObject"),
    COMPLETE_MULTIPART_UPLOAD("s3:PutObject"),
    ABORT_MULTIPART_UPLOAD("s3:AbortMultipartUpload"),
    LIST_PARTS("s3:ListMultipartUploadParts"),
    LIST_MULTIPART_UPLOADS("s3:ListBucketMultipartUploads"),
    DELETE_OBJECT("s3:DeleteObject"),
    DELETE_OBJECTS("s3:DeleteObject"),
    LIST_OBJECTS_V2("s3:ListBucket"),
    LIST_OBJECTS("s3:ListBucket"),
    LIST_OBJECT_VERSIONS("s3:ListBucketVersions"),
    HEAD_BUCKET("s3:ListBucket"),
    CREATE_BUCKET("s3:CreateBucket"),
    DELETE_BUCKET("s3:DeleteBucket"),
    /** A sub-resource (acl, tagging, versionId, ...) or anything else: never allowed. */
    UNKNOWN();

    /** Query parameters that do not change what a request is. */
    private static final Set<String> NEUTRAL = Set.of("x-id");

    private final Set<String> iamActions;

    S3Operation(String... iamActions) {
        this.iamActions = Set.of(iamActions);
    }

    /** What a policy must allow for this operation to go through; empty for {@link #UNKNOWN}. */
    public Set<String> iamActions() {
        return iamActions;
    }

    /** Whether a policy allowing exactly {@code allowed} lets this operation through. */
    public boolean allowedBy(Set<String> allowed) {
        return !iamActions.isEmpty() && allowed.containsAll(iamActions);
    }

    /**
     * @param method  HTTP method
     * @param path    the request path, {@code /bucket} or {@code /bucket/key...}
     * @param query   query parameters by name (values as sent)
     * @param headers request headers, names in lower case
     */
    public static S3Operation of(String method, String path, Map<String, String> query, Map<String, String> headers) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        int slash = trimmed.indexOf('/');
        boolean onObject = slash >= 0 && slash < trimmed.length() - 1;
        Set<String> params = new java.util.HashSet<>(query.keySet());
        params.removeAll(NEUTRAL);
        boolean copy = headers.containsKey("x-amz-copy-source");
        return onObject ? objectOperation(method, params, copy) : bucketOperation(method, params, query);
    }

    private static S3Operation objectOperation(String method, Set<String> params, boolean copy) {
        return switch (method) {
            // partNumber reads one part of the object; versionId would be s3:GetObjectVersion
            case "GET" -> onlyParams(params, Set.of("partNumber")) ? GET_OBJECT
                    : params.equals(Set.of("uploadId")) ? LIST_PARTS : UNKNOWN;
            case "HEAD" -> onlyParams(params, Set.of("partNumber")) ? HEAD_OBJECT : UNKNOWN;
            case "PUT" -> params.isEmpty() ? (copy ? COPY_OBJECT : PUT_OBJECT)
                    : params.equals(Set.of("partNumber", "uploadId")) ? (copy ? UPLOAD_PART_COPY : UPLOAD_PART)
                    : UNKNOWN;
            case "POST" -> params.equals(Set.of("uploads")) ? CREATE_MULTIPART_UPLOAD
                    : params.equals(Set.of("uploadId")) ? COMPLETE_MULTIPART_UPLOAD : UNKNOWN;
            case "DELETE" -> params.isEmpty() ? DELETE_OBJECT
                    : params.equals(Set.of("uploadId")) ? ABORT_MULTIPART_UPLOAD : UNKNOWN;
            default -> UNKNOWN;
        };
    }

    private static S3Operation bucketOperation(String method, Set<String> params, Map<String, String> query) {
        Set<String> listing = Set.of("list-type", "prefix", "max-keys", "continuation-token", "start-after",
                "delimiter", "encoding-type", "fetch-owner");
        return switch (method) {
            case "GET" -> "2".equals(query.get("list-type")) && onlyParams(params, listing) ? LIST_OBJECTS_V2
                    : params.contains("uploads") ? LIST_MULTIPART_UPLOADS
                    : params.contains("versions") ? LIST_OBJECT_VERSIONS
                    : onlyParams(params, Set.of("prefix", "max-keys", "marker", "delimiter", "encoding-type"))
                            ? LIST_OBJECTS : UNKNOWN;
            case "HEAD" -> params.isEmpty() ? HEAD_BUCKET : UNKNOWN;
            case "PUT" -> params.isEmpty() ? CREATE_BUCKET : UNKNOWN;
            case "POST" -> params.equals(Set.of("delete")) ? DELETE_OBJECTS : UNKNOWN;
            case "DELETE" -> params.isEmpty() ? DELETE_BUCKET : UNKNOWN;
            default -> UNKNOWN;
        };
    }

    private static boolean onlyParams(Set<String> params, Set<String> allowed) {
        return allowed.containsAll(params);
    }
}
