package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.RecordSet;
import dev.strata.api.Space;
import dev.strata.api.Strata;
import dev.strata.api.Where;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of docs/engine.md, kept runnable. */
class EngineDocExampleTest {

    @TempDir
    Path dir;

    @Test
    void theDocumentedExampleRuns() {
        try (Strata strata = Strata.open(dir.resolve("strata-data"))) {
            Collection songs = strata.database().getOrCreateCollection("songs", null,
                    CollectionConfiguration.defaults().withSpace(Space.COSINE));

            songs.add(RecordSet.builder()
                    .ids("s1", "s2", "s3")
                    .embeddings(new float[] {0.9f, 0.1f, 0f}, new float[] {0.8f, 0.3f, 0f}, new float[] {0f, 0.2f, 1f})
                    .documents("So What", "Blue in Green", "Paranoid")
                    .metadatas(Map.of("genre", "jazz", "year", 1959),
                               Map.of("genre", "jazz", "year", 1959),
                               Map.of("genre", "metal", "year", 1970))
                    .build());

            QueryResult r = songs.query(QueryRequest.builder()
                    .queryEmbeddings(new float[] {1f, 0.2f, 0f})
                    .nResults(2)
                    .where(Where.and(Where.eq("genre", "jazz"), Where.lt("year", 1960)))
                    .build());
            assertThat(r.ids().getFirst()).isEqualTo(List.of("s1", "s2"));
            assertThat(r.distances().getFirst().getFirst()).isBetween(0f, 0.01f);
            assertThat(r.documents().getFirst()).containsExactly("So What", "Blue in Green");
        }
    }
}
