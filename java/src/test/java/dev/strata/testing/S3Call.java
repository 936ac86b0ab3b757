package dev.strata.testing;

import java.util.Map;

/**
 * One HTTP request a client sent to S3 through {@link S3Proxy}, and what came back.
 *
 * @param operation       the S3 operation the request is
 * @param method          HTTP method
 * @param path            request path, {@code /bucket/key}
 * @param requestHeaders  request headers, names in lower case, first value of each
 * @param status          the status the client got (403 for a request the policy refused)
 * @param responseHeaders the store's response headers, names in lower case, first value of each
 * @param refused         the proxy's policy refused the request: it never reached the store
 */
public record S3Call(S3Operation operation, String method, String path, Map<String, String> requestHeaders,
                     int status, Map<String, String> responseHeaders, boolean refused) {

    /** A request header, or null. */
    public String header(String name) {
        return requestHeaders.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** Whether this request writes object content (PUT, a multipart upload's creation, parts and completion). */
    public boolean writes() {
        return switch (operation) {
            case PUT_OBJECT, COPY_OBJECT, CREATE_MULTIPART_UPLOAD, UPLOAD_PART, UPLOAD_PART_COPY,
                 COMPLETE_MULTIPART_UPLOAD -> true;
            default -> false;
        };
    }

    @Override
    public String toString() {
        return operation + " " + method + " " + path + " -> " + status + (refused ? " (refused)" : "");
    }
}
