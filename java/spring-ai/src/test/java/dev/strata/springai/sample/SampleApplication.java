package dev.strata.springai.sample;

import dev.strata.springai.WordHashEmbeddingModel;
import java.util.List;
import java.util.Map;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The sample a Spring Boot user starts from: no Strata code at all. The dependency on strata-spring-ai and the
 * properties in {@code sample.properties} ({@code strata.path}, {@code strata.vectorstore.collection-name}) give
 * the application an embedded Strata and a {@link VectorStore}. The one bean here is the embedding model, which
 * a real application gets from its model provider's starter (OpenAI, Ollama, ...); this one hashes words, so
 * the sample runs offline.
 *
 * <pre>java -cp ... dev.strata.springai.sample.SampleApplication --strata.path=./strata-data</pre>
 */
@SpringBootApplication
public class SampleApplication {

    @Bean
    EmbeddingModel embeddingModel() {
        return new WordHashEmbeddingModel();
    }

    /** Adds two documents and prints the nearest to a question. */
    public static void main(String[] args) {
        try (ConfigurableApplicationContext context = start(args)) {
            VectorStore store = context.getBean(VectorStore.class);
            store.add(List.of(new Document("kind-of-blue", "Kind of Blue, a jazz record by Miles Davis", Map.of("year", 1959)),
                    new Document("abbey-road", "Abbey Road, a rock record by the Beatles", Map.of("year", 1969))));
            store.similaritySearch(SearchRequest.builder().query("jazz").topK(1).build())
                    .forEach(d -> System.out.println(d.getId() + ": " + d.getText()));
        }
    }

    static ConfigurableApplicationContext start(String... args) {
        SpringApplication app = new SpringApplication(SampleApplication.class);
        app.setDefaultProperties(Map.of("spring.config.name", "sample"));
        return app.run(args);
    }
}
