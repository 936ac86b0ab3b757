package dev.strata.server;

import java.util.Map;
import java.util.Set;

/**
 * One authenticated request as the endpoints see it: path parameters (decoded), query parameters and
 * the raw body (already bounded by the size limit).
 *
 * @param boundTenant the tenant the caller's token is bound to, or null when it may use any tenant
 */
record HttpCall(Map<String, String> path, Map<String, String> query, byte[] body, String boundTenant) {

    String param(String name) {
        return path.get(name);
    }

    JsonBody json(Set<String> allowedFields) {
        return JsonBody.parse(body, allowedFields);
    }

    /** As {@link #json}, with these embedding fields read from the token stream (records and queries). */
    JsonBody jsonWithEmbeddings(Set<String> allowedFields, Set<String> embeddingFields) {
        return JsonBody.parseStreamingEmbeddings(body, allowedFields, embeddingFields);
    }

    /** An optional non-negative integer query parameter (limit, offset). */
    Integer queryInt(String name) {
        String v = query.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            int i = Integer.parseInt(v);
            if (i >= 0) {
                return i;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the offending text
        }
        throw HttpError.badRequest("Query parameter " + name + " must be a non-negative integer, got \"" + v + "\"");
    }
}
