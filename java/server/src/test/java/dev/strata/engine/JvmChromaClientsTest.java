package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.chroma.ChromaApiVersion;
import dev.langchain4j.store.embedding.chroma.ChromaEmbeddingStore;
import dev.strata.api.Settings;
import dev.strata.server.ServerOptions;
import dev.strata.server.StrataServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chroma.vectorstore.ChromaApi;
import org.springframework.ai.chroma.vectorstore.ChromaVectorStore;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SearchRequest;

/**
 * The JVM's Chroma clients against the server over the real engine, with the server's default options: the
 * clients send a whole addAll in one request (they do not split by max_batch_size), so 10,000 records must be
 * taken in one write, and then found.
 */
class JvmChromaClientsTest {

    private static final int RECORDS = 10_000;
    private static final int DIMENSION = 64;

    @TempDir
    Path dir;

    private EmbeddedStrata strata;
    private StrataServer server;
    private String url;

    @BeforeEach
    void start() {
        strata = EmbeddedStrata.open(Settings.defaults(dir));
        server = new StrataServer(strata, ServerOptions.defaults().withHost("127.0.0.1").withPort(0)).start();
        url = "http://127.0.0.1:" + server.port();
        assertThat(ServerOptions.defaults().maxBatchSize()).isLessThan(RECORDS);
    }

    @AfterEach
    void stop() {
        server.close();
        strata.close();
    }

    /** A deterministic embedding of record i: near the axis i % DIMENSION, so a query finds it exactly. */
    static float[] vector(int i) {
        float[] v = new float[DIMENSION];
        v[i % DIMENSION] = 1f;
        v[(i / DIMENSION) % DIMENSION] += 0.5f;
        v[(i * 7 + 3) % DIMENSION] += (i % 97) / 100f;
        return v;
    }

    /** The records of the collection of that name, in whichever tenant and database the client chose. */
    private int count(String name) {
        var record = strata.catalog().allCollections().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        return strata.database(record.tenant(), record.database()).getCollection(name).count();
    }

    @Test
    void langchain4jAddAllOfTenThousandRecords() {
        ChromaEmbeddingStore store = ChromaEmbeddingStore.builder().baseUrl(url).apiVersion(ChromaApiVersion.V2)
                .collectionName("langchain4j").timeout(java.time.Duration.ofSeconds(60)).build();
        List<String> ids = new ArrayList<>();
        List<Embedding> embeddings = new ArrayList<>();
        List<TextSegment> segments = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            ids.add("lc-" + i);
            embeddings.add(Embedding.from(vector(i)));
            segments.add(TextSegment.from("segment " + i, Metadata.from(Map.of("n", i))));
        }
        store.addAll(ids, embeddings, segments);

        assertThat(count("langchain4j")).isEqualTo(RECORDS);
        for (int i : new int[] {0, 4_321, RECORDS - 1}) {
            List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(Embedding.from(vector(i))).maxResults(1).build()).matches();
            assertThat(matches).singleElement().satisfies(m -> {
                assertThat(m.embeddingId()).isEqualTo("lc-" + i);
                assertThat(m.embedded().text()).isEqualTo("segment " + i);
            });
        }
        store.removeAll(ids.subList(0, RECORDS / 2));
        assertThat(count("langchain4j")).isEqualTo(RECORDS / 2);
    }

    @Test
    void springAiAddOfTenThousandDocuments() throws Exception {
        ChromaApi api = ChromaApi.builder().baseUrl(url).build();
        ChromaVectorStore store = ChromaVectorStore.builder(api, new IndexEmbeddings()).collectionName("spring-ai")
                .initializeSchema(true).build();
        store.afterPropertiesSet();
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            documents.add(Document.builder().id("sa-" + i).text("doc-" + i).metadata("n", i).build());
        }
        store.add(documents);

        assertThat(count("spring-ai")).isEqualTo(RECORDS);
        for (int i : new int[] {1, 5_000, RECORDS - 2}) {
            List<Document> found = store.similaritySearch(SearchRequest.builder().query("doc-" + i).topK(1).build());
            assertThat(found).singleElement().satisfies(d -> {
                assertThat(d.getId()).isEqualTo("sa-" + i);
                assertThat(d.getText()).isEqualTo("doc-" + i);
            });
        }
    }

    /** Embeds "doc-i" as {@link #vector(int)}: no model, and a query finds exactly the document it names. */
    private static final class IndexEmbeddings implements EmbeddingModel {
        @Override
        public EmbeddingResponse call(EmbeddingRequest request) {
            List<org.springframework.ai.embedding.Embedding> out = new ArrayList<>();
            for (int k = 0; k < request.getInstructions().size(); k++) {
                out.add(new org.springframework.ai.embedding.Embedding(embed(request.getInstructions().get(k)), k));
            }
            return new EmbeddingResponse(out);
        }

        @Override
        public float[] embed(Document document) {
            return embed(document.getText());
        }

        @Override
        public float[] embed(String text) {
            return vector(Integer.parseInt(text.substring(text.indexOf('-') + 1)));
        }

        @Override
        public int dimensions() {
            return DIMENSION;
        }
    }
}
