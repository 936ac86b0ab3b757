package dev.strata.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before a request reaches the API (an unparsable request line, a bad URI
 * encoding, headers too large) get the same {"error", "message"} body as every API error.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) throws IOException {
        if (code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
            // A request line Jetty cannot parse as HTTP/1.x (HTTP/0.9, "HTTP/9.9", ...) is the client's error.
            code = 400;
            response.setStatus(code);
            message = "Unsupported HTTP version: Strata speaks HTTP/1.1 (and 1.0)" + (message == null ? "" : " (" + message + ")");
        }
        byte[] body = body(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        // Jetty closes the connection after a request it could not parse; say so, or a client reuses it.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        // Jetty closes the connection after a request it could not parse; say so, or a client reuses it.
        fields.put(HttpHeader.CONNECTION, "close");
        return ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(int code, String message) {
        String name = switch (code) {
            case 404 -> "NotFoundError";
            case 413 -> "PayloadTooLargeError";
            case 505 -> "InvalidArgumentError";
            default -> code >= 500 ? "InternalError" : "InvalidArgumentError";
        };
        String text = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        try {
            return JsonBody.MAPPER.writeValueAsBytes(ChromaJson.error(name, text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
