package dev.strata.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpFields;

/**
 * Static bearer tokens, as Chroma's token authentication: "Authorization: Bearer t" or
 * "X-Chroma-Token: t". A token may be bound to one tenant.
 */
final class TokenAuth {

    static final String CHROMA_TOKEN_HEADER = "X-Chroma-Token";
    private static final String BEARER = "bearer ";

    /** Who made the request: the tenant the token is bound to, or null for any tenant. */
    record Caller(String boundTenant) {}

    static final Caller ANYONE = new Caller(null);

    private final Map<String, String> tokens;

    TokenAuth(Map<String, String> tokens) {
        this.tokens = tokens;
    }

    boolean enabled() {
        return !tokens.isEmpty();
    }

    /** @throws HttpError (401) when auth is on and no configured token was given */
    Caller authenticate(HttpFields headers) {
        if (!enabled()) {
            return ANYONE;
        }
        String token = headers.get(CHROMA_TOKEN_HEADER);
        String authorization = headers.get(HttpHeader.AUTHORIZATION);
        if (token == null && authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            token = authorization.substring(BEARER.length()).trim();
        }
        if (token == null || token.isEmpty()) {
            throw HttpError.unauthenticated("Missing token: send \"Authorization: Bearer <token>\" or \"X-Chroma-Token: <token>\"");
        }
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        // Compare against every token without stopping early, so timing does not tell which prefix matched.
        Caller found = null;
        for (Map.Entry<String, String> e : tokens.entrySet()) {
            if (MessageDigest.isEqual(given, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                found = new Caller(e.getValue());
            }
        }
        if (found == null) {
            throw HttpError.unauthenticated("Invalid token");
        }
        return found;
    }
}
