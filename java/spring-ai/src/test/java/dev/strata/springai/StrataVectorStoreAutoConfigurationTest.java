package dev.strata.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Strata;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The store an application gets from properties alone (and an EmbeddingModel bean, as every Spring AI app has). */
class StrataVectorStoreAutoConfigurationTest {

    @TempDir
    Path folder;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(StrataVectorStoreAutoConfiguration.class));

    @Test
    void propertiesAloneGiveAStoreOnTheNamedCollectionThatKeepsDocumentsAcrossRestarts() {
        ApplicationContextRunner app = runner.withBean(EmbeddingModel.class, WordHashEmbeddingModel::new)
                .withPropertyValues("strata.path=" + folder, "strata.vectorstore.collection-name=docs");
        app.run(context -> {
            assertThat(context).hasSingleBean(Strata.class);
            assertThat(context.getBean(VectorStore.class)).isInstanceOf(StrataVectorStore.class);
            context.getBean(VectorStore.class).add(List.of(new Document("d1", "kind of blue", java.util.Map.of())));
            assertThat(((StrataVectorStore) context.getBean(VectorStore.class)).collection().name()).isEqualTo("docs");
        });
        // The context closed Strata (else this second open of the folder would fail as held by another node).
        app.run(context -> assertThat(context.getBean(VectorStore.class)
                .similaritySearch(SearchRequest.builder().query("blue").topK(3).build()))
                .extracting(Document::getId).containsExactly("d1"));
    }

    @Test
    void withoutAnEmbeddingModelThereIsStrataButNoStore() {
        runner.withPropertyValues("strata.path=" + folder).run(context -> {
            assertThat(context).hasSingleBean(Strata.class);
            assertThat(context).doesNotHaveBean(VectorStore.class);
        });
    }

    @Test
    void disabledGivesNeither() {
        runner.withBean(EmbeddingModel.class, WordHashEmbeddingModel::new)
                .withPropertyValues("strata.path=" + folder, "strata.vectorstore.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(Strata.class);
                    assertThat(context).doesNotHaveBean(VectorStore.class);
                });
    }

    @Test
    void otherStrataSettingsPassThroughByTheirNames() {
        // storage s3 without its bucket: Strata's own check of its settings refuses it, naming the setting.
        runner.withBean(EmbeddingModel.class, WordHashEmbeddingModel::new)
                .withPropertyValues("strata.path=" + folder, "strata.settings.storage=s3")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("S3_BUCKET"));
    }
}
