package dev.strata.server;

import dev.strata.api.Settings;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * How the HTTP server listens and what it allows.
 *
 * @param host           the address to bind; 127.0.0.1 unless the operator opens it up on purpose
 * @param port           0 picks a free port (see {@link StrataServer#port()})
 * @param maxBodyBytes   requests with a larger body get 413 before they are parsed
 * @param maxBatchSize   announced by pre-flight-checks; the clients split their batches by it
 * @param allowReset     POST /api/v2/reset deletes everything only when true
 * @param authTokens     token -> tenant it is bound to (null = every tenant); empty map = no auth
 * @param version        answered by GET /api/v2/version
 * @param queryTimeoutMs the engine's read deadline (STRATA_QUERY_TIMEOUT_MS); the server waits for a read at most
 *                       this long plus {@link #READ_WAIT_GRACE_MS} (time queued for a read worker included); 0: no bound
 */
public record ServerOptions(
        String host,
        int port,
        long maxBodyBytes,
        int maxBatchSize,
        boolean allowReset,
        Map<String, String> authTokens,
        String version,
        long queryTimeoutMs) {

    public static final String DEFAULT_HOST = Settings.HOST.defaultValue();
    public static final int DEFAULT_PORT = Settings.PORT.defaultValue();
    public static final long DEFAULT_MAX_BODY_BYTES = Settings.MAX_BODY_BYTES.defaultValue();
    public static final String CHROMA_API_VERSION = "1.0.0";
    public static final long DEFAULT_QUERY_TIMEOUT_MS = Settings.QUERY_TIMEOUT_MS.defaultValue();
    public static final long READ_WAIT_GRACE_MS = 5_000;

    public ServerOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxBodyBytes must be in 1.." + (Integer.MAX_VALUE - 8) + ", got " + maxBodyBytes);
        }
        if (queryTimeoutMs < 0) {
            throw new IllegalArgumentException("queryTimeoutMs must not be negative, got " + queryTimeoutMs);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be positive, got " + maxBatchSize);
        }
        // Map.copyOf refuses null values, and a null tenant means "any tenant".
        authTokens = authTokens == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(authTokens));
        version = version == null ? CHROMA_API_VERSION : version;
    }

    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, Settings.MAX_BATCH_SIZE.defaultValue(),
                false, Map.of(), CHROMA_API_VERSION, DEFAULT_QUERY_TIMEOUT_MS);
    }

    public ServerOptions withHost(String host) {
        return new ServerOptions(host, port, maxBodyBytes, maxBatchSize, allowReset, authTokens, version, queryTimeoutMs);
    }

    public ServerOptions withPort(int port) {
        return new ServerOptions(host, port, maxBodyBytes, maxBatchSize, allowReset, authTokens, version, queryTimeoutMs);
    }

    public ServerOptions withMaxBodyBytes(long maxBodyBytes) {
        return new ServerOptions(host, port, maxBodyBytes, maxBatchSize, allowReset, authTokens, version, queryTimeoutMs);
    }

    public ServerOptions withMaxBatchSize(int maxBatchSize) {
        return new ServerOptions(host, port, maxBodyBytes, maxBatchSize, allowReset, authTokens, version, queryTimeoutMs);
    }

    public ServerOptions withAllowReset(boolean allowReset) {
        return new ServerOptions(host, port, maxBodyBytes, maxBatchSize, allowReset, authTokens, version, queryTimeoutMs);
    }

    public ServerOptions withAuthTokens(Map<String, String> authTokens) {
        return new ServerOptions(host, port, maxBodyBytes, maxBatchSize, allowReset, authTokens, version, queryTimeoutMs);
    }

    public ServerOptions withQueryTimeoutMs(long queryTimeoutMs) {
        return new ServerOptions(host, port, maxBodyBytes, maxBatchSize, allowReset, authTokens, version, queryTimeoutMs);
    }

    /** How long the server waits for one read's answer before it cancels it and answers 408. */
    long readWaitMs() {
        return queryTimeoutMs == 0 ? Long.MAX_VALUE / 2 : queryTimeoutMs + READ_WAIT_GRACE_MS;
    }

    public boolean authEnabled() {
        return !authTokens.isEmpty();
    }
}
