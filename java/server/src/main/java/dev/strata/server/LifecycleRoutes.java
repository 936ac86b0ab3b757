package dev.strata.server;

import dev.strata.api.Collection;
import dev.strata.api.IndexingStatus;
import dev.strata.api.Strata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The routes about a collection's life rather than its records: reset, fork, fork count and indexing status.
 * Chroma's single-node server answers fork and indexing status with errors; Strata has them (copy-on-write
 * versions make a fork a catalog operation, and its compaction backlog is known), in the shapes Chroma's
 * distributed server gives them.
 */
final class LifecycleRoutes {

    private static final Set<String> FORK_FIELDS = Set.of("new_name");

    private final Strata strata;
    private final ServerOptions options;
    private final Function<HttpCall, Collection> byId;

    LifecycleRoutes(Strata strata, ServerOptions options, Function<HttpCall, Collection> byId) {
        this.strata = strata;
        this.options = options;
        this.byId = byId;
    }

    void register(Router r, String v2, String collection) {
        r.add("POST", v2 + "/reset", this::reset);
        r.add("GET", collection + "/indexing_status", this::indexingStatus);
        r.add("POST", collection + "/fork", this::fork);
        r.add("GET", collection + "/fork_count", call -> HttpAnswer.ok(Map.of("count", byId.apply(call).forkCount())));
    }

    /**
     * Deletes everything and leaves an empty default tenant and database, as Chroma's reset. It reaches every
     * tenant, so only a token bound to none may call it.
     */
    private HttpAnswer reset(HttpCall call) {
        if (!options.allowReset()) {
            throw HttpError.forbidden("Reset is disabled; start the server with --allow-reset (STRATA_ALLOW_RESET=true)");
        }
        if (call.boundTenant() != null) {
            throw HttpError.forbidden("Reset deletes every tenant: a token bound to tenant " + call.boundTenant()
                    + " may not call it");
        }
        strata.reset();
        return HttpAnswer.ok(true);
    }

    private HttpAnswer fork(HttpCall call) {
        String newName = call.json(FORK_FIELDS).requiredString("new_name");
        return HttpAnswer.ok(ChromaJson.collection(byId.apply(call).fork(newName)));
    }

    private HttpAnswer indexingStatus(HttpCall call) {
        IndexingStatus s = byId.apply(call).indexingStatus();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("num_indexed_ops", s.indexedOps());
        m.put("num_unindexed_ops", s.unindexedOps());
        m.put("total_ops", s.totalOps());
        m.put("op_indexing_progress", s.progress());
        return HttpAnswer.ok(m);
    }
}
