package dev.strata.springai;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.test.vectorstore.BaseVectorStoreTests;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Spring AI's own vector-store tests (delete by ids, by a filter expression, by a filter string) against a store
 * the auto-configuration opens from properties, on a real Strata in a temporary folder.
 */
class StrataVectorStoreBaseTest extends BaseVectorStoreTests {

    @TempDir
    Path folder;

    @Override
    protected void executeTest(Consumer<VectorStore> test) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(StrataVectorStoreAutoConfiguration.class))
                .withBean(EmbeddingModel.class, WordHashEmbeddingModel::new)
                .withPropertyValues("strata.path=" + folder)
                .run(context -> test.accept(context.getBean(VectorStore.class)));
    }
}
