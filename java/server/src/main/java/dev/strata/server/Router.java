package dev.strata.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Route table: method + path template ("/api/v2/tenants/{tenant}") to endpoint. Routes are tried in
 * registration order, so a literal segment registered first wins over a parameter at the same place.
 */
final class Router {

    /** What a route answers with; Endpoint is called only after auth passed. */
    @FunctionalInterface
    interface Endpoint {
        HttpAnswer handle(HttpCall call);
    }

    /**
     * @param open answered without a token even when auth is on (liveness, version, heartbeat), on the connection's
     *             thread: such an endpoint must be quick and never block (it reads no body)
     * @param read a read (get, query, count, a filtered delete): run by the read workers under a deadline and a
     *             cancellation ({@link ReadWorkers})
     */
    record Route(String method, String template, boolean open, boolean read, Endpoint endpoint, String[] segments) {}

    record Match(Route route, Map<String, String> params) {}

    private final List<Route> routes = new ArrayList<>();

    void add(String method, String template, Endpoint endpoint) {
        routes.add(new Route(method, template, false, false, endpoint, split(template)));
    }

    void addOpen(String method, String template, Endpoint endpoint) {
        routes.add(new Route(method, template, true, false, endpoint, split(template)));
    }

    void addRead(String method, String template, Endpoint endpoint) {
        routes.add(new Route(method, template, false, true, endpoint, split(template)));
    }

    /**
     * The route for this request.
     *
     * @throws HttpError 404 when no template matches the path, 405 when templates match but not the method
     */
    Match match(String method, String path) {
        String[] parts = split(path);
        boolean pathMatched = false;
        for (Route r : routes) {
            Map<String, String> params = bind(r.segments(), parts);
            if (params == null) {
                continue;
            }
            // HEAD is answered like GET (Jetty sends the headers only), as Chroma does.
            if (r.method().equals(method) || (method.equals("HEAD") && r.method().equals("GET"))) {
                return new Match(r, params);
            }
            pathMatched = true;
        }
        if (pathMatched) {
            throw new HttpError(405, "MethodNotAllowedError", "Method " + method + " is not allowed on " + path);
        }
        throw HttpError.notFound("No route for " + method + " " + path);
    }

    private static Map<String, String> bind(String[] template, String[] parts) {
        if (template.length != parts.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), parts[i]);
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
