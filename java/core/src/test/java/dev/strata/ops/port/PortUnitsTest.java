package dev.strata.ops.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.CollectionConfiguration;
import dev.strata.api.InvalidArgumentException;
import dev.strata.api.Space;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts of import / export that need no server: configuration mapping, the progress bar, the summary. */
class PortUnitsTest {

    @Test
    void chromaConfigurationBecomesStrataConfigurationDroppingUnknownAndNullKeys() {
        Map<String, Object> hnsw = new HashMap<>(Map.of("space", "ip", "ef_construction", 40, "ef_search", 70,
                "max_neighbors", 24, "resize_factor", 1.5, "sync_threshold", 500, "a_future_key", 3));
        hnsw.put("batch_size", null);
        Map<String, Object> configurationJson = new HashMap<>();
        configurationJson.put("hnsw", hnsw);
        configurationJson.put("spann", null);
        configurationJson.put("embedding_function", Map.of("name", "default"));
        CollectionConfiguration c = Importer.configuration(new RemoteCollection("id", "c", null, configurationJson));
        assertThat(c.space()).isEqualTo(Space.IP);
        assertThat(c.efConstruction()).isEqualTo(40);
        assertThat(c.efSearch()).isEqualTo(70);
        assertThat(c.maxNeighbors()).isEqualTo(24);
        assertThat(c.resizeFactor()).isEqualTo(1.5);
        assertThat(c.syncThreshold()).isEqualTo(500);
        assertThat(c.batchSize()).isEqualTo(CollectionConfiguration.defaults().batchSize());
    }

    @Test
    void withoutAnHnswBlockTheLegacyMetadataKeysApply() {
        CollectionConfiguration c = Importer.configuration(new RemoteCollection("id", "c",
                Map.of("hnsw:space", "cosine", "hnsw:M", 32), Map.of("spann", Map.of())));
        assertThat(c.space()).isEqualTo(Space.COSINE);
        assertThat(c.maxNeighbors()).isEqualTo(32);
    }

    @Test
    void aConfigurationStrataCannotTakeNamesTheCollection() {
        assertThatThrownBy(() -> Importer.configuration(new RemoteCollection("id", "weird", null,
                Map.of("hnsw", Map.of("space", "hamming")))))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("weird");
    }

    @Test
    void emptyMetadataIsNoMetadata() {
        assertThat(Importer.metadata(Map.of())).isNull();
        assertThat(Importer.metadata(null)).isNull();
        assertThat(Importer.metadata(Map.of("a", 1))).containsEntry("a", 1);
    }

    @Test
    void progressBarShowsDoneOverTotalAndEndsEachCollectionWithANewline() {
        StringWriter text = new StringWriter();
        TextProgressBar bar = new TextProgressBar(new PrintWriter(text));
        bar.start("songs", 200);
        bar.advance(50);
        assertThat(bar.line()).startsWith("songs [########----------------------] 50/200 records").endsWith(" rec/s");
        bar.advance(150);
        bar.finish();
        assertThat(text.toString()).startsWith("\rsongs [------------------------------] 0/200 records")
                .contains("\rsongs [##############################] 200/200 records").endsWith(System.lineSeparator());
        bar.start("empty", 0);
        assertThat(bar.line()).startsWith("empty [##############################] 0/0 records");
    }

    @Test
    void copySummarySaysWhatWasAddedAndSkipped() {
        CollectionCopy copy = new CollectionCopy("songs", 100, 40, 120);
        assertThat(copy.added()).isEqualTo(80);
        assertThat(copy.skipped()).isEqualTo(20);
        assertThat(copy.describe()).isEqualTo("songs: 100 records read, 80 added, 20 already present (skipped), 120 in the target");
    }

    @Test
    void serverUrlMustBeHttp() {
        assertThatThrownBy(() -> new ChromaHttpClient(URI.create("localhost:8000"), null, "t", "d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s)://host:port");
        assertThat(new ChromaHttpClient(URI.create("http://h:1/"), null, "t", "d").server()).hasToString("http://h:1");
    }
}
