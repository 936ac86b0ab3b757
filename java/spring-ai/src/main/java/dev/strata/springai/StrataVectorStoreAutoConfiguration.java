package dev.strata.springai;

import dev.strata.api.Strata;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationConvention;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Opens an embedded Strata from {@code strata.*} properties (closed with the context) and, when the application
 * has an {@link EmbeddingModel}, a {@link StrataVectorStore} on it. Either bean defined by the application wins.
 * For a remote Strata ({@code strata serve}), set {@code strata.vectorstore.enabled=false} and use Spring AI's
 * Chroma store against it (docs/ai-stacks.md).
 */
@AutoConfiguration(afterName = {
        "org.springframework.ai.model.openai.autoconfigure.OpenAiEmbeddingAutoConfiguration",
        "org.springframework.ai.model.ollama.autoconfigure.OllamaEmbeddingAutoConfiguration",
        "org.springframework.ai.model.transformers.autoconfigure.TransformersEmbeddingModelAutoConfiguration"})
@ConditionalOnClass({Strata.class, VectorStore.class})
@ConditionalOnProperty(prefix = "strata.vectorstore", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(StrataProperties.class)
public class StrataVectorStoreAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Strata strata(StrataProperties properties) {
        return Strata.open(properties.toSettings());
    }

    @Bean
    @ConditionalOnMissingBean(VectorStore.class)
    @ConditionalOnBean(EmbeddingModel.class)
    public StrataVectorStore strataVectorStore(Strata strata, EmbeddingModel embeddingModel, StrataProperties properties,
                                               ObjectProvider<ObservationRegistry> observationRegistry,
                                               ObjectProvider<VectorStoreObservationConvention> convention,
                                               ObjectProvider<BatchingStrategy> batchingStrategy) {
        StrataVectorStore.Builder builder = StrataVectorStore.builder(strata.database(), embeddingModel)
                .collectionName(properties.getVectorstore().getCollectionName())
                .observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP))
                .customObservationConvention(convention.getIfAvailable(() -> null));
        batchingStrategy.ifAvailable(builder::batchingStrategy);
        return builder.build();
    }
}
