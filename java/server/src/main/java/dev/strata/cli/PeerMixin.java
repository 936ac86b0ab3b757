package dev.strata.cli;

import dev.strata.api.Strata;
import dev.strata.ops.port.ChromaHttpClient;
import java.net.URI;
import picocli.CommandLine.Option;

/** The Chroma server on the other side of an import or export, and the tenant / database copied. */
public final class PeerMixin {

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:CHROMA_TOKEN}",
            description = "Auth token, sent as X-Chroma-Token and Authorization: Bearer (env CHROMA_TOKEN).")
    String token;

    @Option(names = "--tenant", paramLabel = "T", defaultValue = Strata.DEFAULT_TENANT,
            description = "Tenant, the same on both sides (default ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--database", paramLabel = "D", defaultValue = Strata.DEFAULT_DATABASE,
            description = "Database, the same on both sides (default ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000",
            description = "Records per page read and per batch written (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--collection", paramLabel = "NAME",
            description = "Copy only this collection (repeatable); every collection of the database when absent.")
    java.util.List<String> collections = new java.util.ArrayList<>();

    @Option(names = "--quiet", description = "No progress bar on stderr.")
    boolean quiet;

    ChromaHttpClient client(URI server) {
        return new ChromaHttpClient(server, token, tenant, database);
    }
}
