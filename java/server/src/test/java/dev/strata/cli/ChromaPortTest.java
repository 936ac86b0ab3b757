package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.Database;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.api.Strata;
import dev.strata.ops.port.ChromaHttpClient;
import dev.strata.ops.port.PortComparison;
import dev.strata.ops.port.RemoteCollection;
import dev.strata.testing.ChromaServerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * strata import and export against the real Chroma server: three collections (l2, cosine, ip; metadata of every
 * type, missing documents and metadatas, uris; 2,500 records) are imported from one Chroma server into a Strata
 * folder, compared field by field and by query results, imported again (nothing added), then exported to a second,
 * empty Chroma server and compared again.
 */
class ChromaPortTest {

    private static final String TENANT = Strata.DEFAULT_TENANT;
    private static final String DATABASE = Strata.DEFAULT_DATABASE;

    @TempDir
    static Path dir;

    static ChromaServerProcess source;
    static ChromaServerProcess target;

    @BeforeAll
    static void startServers() throws Exception {
        source = ChromaServerProcess.start(dir.resolve("source.log"));
        target = ChromaServerProcess.start(dir.resolve("target.log"));
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void importThenExportKeepsEveryCollectionAndRecord() {
        ChromaHttpClient chroma = new ChromaHttpClient(source.url(), null, TENANT, DATABASE);
        fill(chroma);
        Path node = dir.resolve("node");

        CliRun first = CliRun.of("import", "--from", source.url().toString(), "--path", node.toString(), "--batch-size", "700");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.err()).contains("songs [##############################] 1500/1500 records")
                .contains("docs.cosine [").contains("700/700 records").contains("300/300 records");
        assertThat(first.out()).contains("songs: 1500 records read, 1500 added, 0 already present")
                .contains("import: 3 collections, 2500 records added");
        assertNodeMatches(chroma, node);

        CliRun again = CliRun.of("import", "--from", source.url().toString(), "--path", node.toString(), "--quiet",
                "--collection", "songs");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("songs: 1500 records read, 0 added, 1500 already present (skipped)")
                .contains("import: 1 collections, 0 records added");
        assertThat(again.err()).isEmpty();

        CliRun export = CliRun.of("export", "--to", target.url().toString(), "--path", node.toString());
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(export.out()).contains("export: 3 collections, 2500 records added");
        assertNodeMatches(new ChromaHttpClient(target.url(), null, TENANT, DATABASE), node);
    }

    @Test
    void unknownCollectionOrUnreachableServerIsOneClearLine() {
        Path node = dir.resolve("errors");
        CliRun missing = CliRun.of("import", "--from", source.url().toString(), "--path", node.toString(),
                "--collection", "no-such-collection");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("strata import:").contains("404").contains("no-such-collection");

        CliRun down = CliRun.of("export", "--to", "http://127.0.0.1:1", "--path", node.toString());
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err()).contains("strata export:").contains("http://127.0.0.1:1/api/v2/pre-flight-checks");
    }

    private static void assertNodeMatches(ChromaHttpClient chroma, Path node) {
        try (Strata strata = Strata.open(Settings.defaults(node))) {
            Database db = strata.database(TENANT, DATABASE);
            List<RemoteCollection> remotes = chroma.listCollections();
            assertThat(remotes).extracting(RemoteCollection::name)
                    .containsExactlyInAnyOrder("songs", "docs.cosine", "ip-small");
            assertThat(db.countCollections()).isEqualTo(3);
            long seed = 1;
            for (RemoteCollection remote : remotes) {
                Collection local = db.getCollection(remote.name());
                PortComparison.assertSame(chroma, remote, local, seed++);
            }
        }
    }

    /** Three collections of 1,500 + 700 + 300 records, added through Chroma's HTTP API. */
    private static void fill(ChromaHttpClient chroma) {
        Random random = new Random(42);
        RemoteCollection songs = chroma.getOrCreateCollection("songs", Map.of("owner", "radio", "version", 2, "live", true),
                Map.of("hnsw", Map.of("space", "l2", "ef_construction", 64, "max_neighbors", 12, "ef_search", 80)));
        addRecords(chroma, songs, random, 1500, 8, true, false);
        RemoteCollection docs = chroma.getOrCreateCollection("docs.cosine", Map.of("topic", "news", "score", 0.5),
                Map.of("hnsw", Map.of("space", "cosine")));
        addRecords(chroma, docs, random, 700, 16, false, true);
        RemoteCollection ip = chroma.getOrCreateCollection("ip-small", null, Map.of("hnsw", Map.of("space", "ip")));
        addRecords(chroma, ip, random, 300, 4, false, false);
    }

    private static void addRecords(ChromaHttpClient chroma, RemoteCollection c, Random random, int n, int dimension,
                                   boolean base64, boolean uris) {
        for (int start = 0; start < n; start += 500) {
            List<String> ids = new ArrayList<>();
            List<float[]> embeddings = new ArrayList<>();
            List<String> documents = new ArrayList<>();
            List<Map<String, Object>> metadatas = new ArrayList<>();
            List<String> uriList = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + 500); i++) {
                ids.add(c.name() + "-" + i);
                float[] e = new float[dimension];
                for (int d = 0; d < dimension; d++) {
                    e[d] = (float) random.nextGaussian();
                }
                embeddings.add(e);
                documents.add(i % 7 == 0 ? null : "document " + i + " of " + c.name() + (i % 3 == 0 ? " — été ✓" : ""));
                if (i % 5 == 0) {
                    metadatas.add(null);
                } else {
                    Map<String, Object> m = new HashMap<>();
                    m.put("i", i);
                    m.put("f", i / 4.0);
                    m.put("even", i % 2 == 0);
                    m.put("s", "v" + (i % 11));
                    if (i % 3 == 0) {
                        m.put("tags", List.of("t" + (i % 4), "all"));
                    }
                    metadatas.add(m);
                }
                uriList.add(uris && i % 2 == 0 ? "s3://bucket/" + i : null);
            }
            chroma.add(c.id(), new RecordSet(ids, embeddings, documents, metadatas, uris ? uriList : null), base64);
        }
    }
}
