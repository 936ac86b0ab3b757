package dev.strata.springai.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Strata;
import dev.strata.springai.StrataVectorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.context.ConfigurableApplicationContext;

/** The sample starts as a Boot application (auto-configuration found on the class path) with properties only. */
class SampleApplicationTest {

    @TempDir
    Path folder;

    @Test
    void theSampleStartsWithPropertiesOnlyAndItsStoreKeepsDocumentsAcrossRestarts() {
        String path = "--strata.path=" + folder.resolve("data");
        try (ConfigurableApplicationContext context = SampleApplication.start(path)) {
            assertThat(context.getBeansOfType(Strata.class)).hasSize(1);
            StrataVectorStore store = (StrataVectorStore) context.getBean(VectorStore.class);
            assertThat(store.collection().name()).as("from sample.properties").isEqualTo("sample");
            store.add(List.of(new Document("d1", "kind of blue", Map.of("year", 1959)),
                    new Document("d2", "abbey road", Map.of("year", 1969))));
        }
        assertThat(Files.isDirectory(folder.resolve("data"))).isTrue();
        try (ConfigurableApplicationContext context = SampleApplication.start(path)) {
            assertThat(context.getBean(VectorStore.class)
                    .similaritySearch(SearchRequest.builder().query("blue").topK(1).build()))
                    .extracting(Document::getId).containsExactly("d1");
        }
    }
}
