package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.QueryRequest;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.segment.WarmIndexes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted node opens, before any query, the collections whose warm graph it saved when it stopped: their graph
 * is loaded without a query asking; a collection without a saved graph is not opened.
 */
class OpenAheadTest {

    @TempDir
    Path dir;

    @Test
    void aRestartedNodeLoadsTheSavedGraphsOfItsCollectionsBeforeTheirFirstQuery() throws Exception {
        int n = WarmIndexes.MIN_VECTORS;
        java.util.UUID bigId;
        try (EmbeddedStrata strata = EmbeddedStrata.open(Settings.defaults(dir))) {
            Collection big = strata.database().createCollection("big", null, CollectionConfiguration.defaults());
            bigId = big.id();
            Random random = new Random(7);
            for (int from = 0; from < n; from += 1_000) {
                big.add(records(random, from, from + 1_000));
            }
            strata.database().createCollection("small", null, CollectionConfiguration.defaults()).add(records(random, 0, 10));
            strata.compactNow(big.id());
            // a query opens its version: the graph builds
            big.query(QueryRequest.builder().queryEmbeddings(new float[] {1, 0, 0, 0}).nResults(1).build());
            waitFor(() -> strata.warmIndexInserted() >= n, "the graph built");
        } // closing saves the graph

        try (EmbeddedStrata restarted = EmbeddedStrata.open(Settings.defaults(dir))) {
            Thread.sleep(300);
            assertThat(restarted.warmIndexBytes()).as("nothing loaded before it is asked").isZero();
            restarted.openCollectionsWithSavedGraphs();
            waitFor(() -> restarted.warmIndexBytes() > 0, "the saved graph loaded without a query");
            assertThat(restarted.warmIndexInserted()).as("loaded, not built again").isZero();
            assertThat(restarted.openRuntimes()).as("collections opened ahead").containsExactly(bigId);
        }
    }

    private static RecordSet records(Random random, int from, int to) {
        List<String> ids = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add("r" + i);
            embeddings.add(new float[] {random.nextFloat(), random.nextFloat(), random.nextFloat(), random.nextFloat()});
        }
        return RecordSet.builder().ids(ids).embeddings(embeddings).build();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
