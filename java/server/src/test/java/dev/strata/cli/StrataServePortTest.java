package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.Database;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.api.Space;
import dev.strata.api.Strata;
import dev.strata.ops.port.ChromaHttpClient;
import dev.strata.ops.port.PortComparison;
import dev.strata.server.ServerOptions;
import dev.strata.server.StrataServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strata as the peer of import and export (its server speaks Chroma's API): a node's tenant / database is exported
 * to a served Strata behind token auth whose max_batch_size is small (so batches follow pre-flight-checks), the
 * tenant and database are created there, then one collection is imported back into a third folder. Needs no node.js.
 */
class StrataServePortTest {

    private static final String TOKEN = "port-secret";

    @TempDir
    Path dir;

    @Test
    void exportToAServedStrataThenImportBack() {
        Path origin = dir.resolve("origin");
        fill(origin);
        try (Strata served = Strata.open(Settings.defaults(dir.resolve("served")));
             StrataServer server = new StrataServer(served, ServerOptions.defaults().withPort(0).withMaxBatchSize(300)
                     .withAuthTokens(Map.of(TOKEN, "acme"))).start()) {
            String url = "http://127.0.0.1:" + server.port();

            CliRun export = CliRun.of("export", "--to", url, "--token", TOKEN, "--tenant", "acme", "--database", "prod",
                    "--path", origin.toString(), "--quiet");
            assertThat(export.code()).as(export.err()).isZero();
            assertThat(export.out()).contains("export: 2 collections, 1300 records added");

            ChromaHttpClient peer = new ChromaHttpClient(java.net.URI.create(url), TOKEN, "acme", "prod");
            try (Strata local = Strata.open(Settings.defaults(origin))) {
                Database db = local.database("acme", "prod");
                for (Collection c : db.listCollections(null, 0)) {
                    PortComparison.assertSame(peer, peer.getCollection(c.name()), c, 7);
                }
            }

            Path copy = dir.resolve("copy");
            CliRun back = CliRun.of("import", "--from", url, "--token", TOKEN, "--tenant", "acme", "--database", "prod",
                    "--collection", "vectors-cos", "--path", copy.toString());
            assertThat(back.code()).as(back.err()).isZero();
            assertThat(back.out()).contains("vectors-cos: 1000 records read, 1000 added");
            try (Strata local = Strata.open(Settings.defaults(copy))) {
                Database db = local.database("acme", "prod");
                assertThat(db.listCollections(null, 0)).extracting(Collection::name).containsExactly("vectors-cos");
                PortComparison.assertSame(peer, peer.getCollection("vectors-cos"), db.getCollection("vectors-cos"), 8);
            }

            CliRun denied = CliRun.of("import", "--from", url, "--token", "wrong", "--tenant", "acme", "--database", "prod",
                    "--path", copy.toString());
            assertThat(denied.code()).isEqualTo(1);
            assertThat(denied.err()).contains("strata import:").contains("401");
        }
    }

    private static void fill(Path path) {
        Random random = new Random(3);
        try (Strata strata = Strata.open(Settings.defaults(path))) {
            strata.createTenant("acme");
            Database db = strata.createDatabase("acme", "prod");
            add(db.createCollection("vectors-cos", Map.of("kind", "cosine", "dims", 12),
                    CollectionConfiguration.defaults().withSpace(Space.COSINE)), random, 1000, 12);
            add(db.createCollection("plain", null, null), random, 300, 5);
        }
    }

    private static void add(Collection c, Random random, int n, int dimension) {
        List<String> ids = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        List<Map<String, Object>> metadatas = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("id" + i);
            float[] e = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                e[d] = (float) random.nextGaussian();
            }
            embeddings.add(e);
            documents.add(i % 4 == 0 ? null : "text " + i);
            metadatas.add(i % 6 == 0 ? null : Map.of("i", i, "half", i / 2.0, "odd", i % 2 == 1, "tags", List.of("a", "b" + i % 3)));
            uris.add(i % 5 == 0 ? "file:///" + i : null);
        }
        c.add(new RecordSet(ids, embeddings, documents, metadatas, uris));
    }
}
