package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Collection;
import dev.strata.api.GetRequest;
import dev.strata.api.InternalException;
import dev.strata.api.NotWriterException;
import dev.strata.api.QueryRequest;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.api.Where;
import dev.strata.storage.S3Options;
import dev.strata.testing.BucketSettings;
import dev.strata.testing.S3MockServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strata on an S3 bucket (S3Mock): with durability s3, a node that loses its folder loses nothing. */
class EmbeddedStrataS3Test {

    @TempDir
    Path first;

    @TempDir
    Path second;

    private static Settings onBucket(Path path, S3Options bucket) {
        return BucketSettings.durable(path, bucket);
    }

    @Test
    void aNewNodeOnTheSameBucketRecoversCatalogAndLog() {
        S3Options bucket = S3MockServer.shared().newBucket("engine");
        Settings settings = onBucket(first, bucket);
        assertThat(settings.toString()).doesNotContain(bucket.secretAccessKey());
        try (EmbeddedStrata strata = EmbeddedStrata.open(settings)) {
            Collection c = strata.database().createCollection("remote", Map.of("where", "s3"), null);
            c.add(RecordSet.builder().ids("a", "b", "c")
                    .embeddings(new float[] {0, 0}, new float[] {1, 1}, new float[] {5, 5})
                    .metadatas(List.of(Map.of("k", 1), Map.of("k", 2), Map.of("k", 2)))
                    .build());
            c.delete(dev.strata.api.DeleteRequest.ofIds("a"));
            // A second node cannot write while the first holds the lease.
            assertThatThrownBy(() -> EmbeddedStrata.open(onBucket(second.resolve("other"), bucket)))
                    .isInstanceOf(NotWriterException.class).isNotInstanceOf(InternalException.class)
                    .hasMessageContaining("lease");
        }

        try (EmbeddedStrata strata = EmbeddedStrata.open(onBucket(second, bucket))) {
            Collection c = strata.database().getCollection("remote");
            assertThat(c.metadata()).isEqualTo(Map.of("where", "s3"));
            assertThat(c.get(GetRequest.all()).ids()).containsExactly("b", "c");
            assertThat(c.query(QueryRequest.builder().queryEmbeddings(new float[] {4, 4}).nResults(1)
                    .where(Where.eq("k", 2)).build()).ids()).containsExactly(List.of("c"));
            c.add(RecordSet.builder().ids("d").embeddings(new float[] {2, 2}).build());
            assertThat(c.count()).isEqualTo(3);
        }
    }

    @Test
    void theS3RequestBoundsReachTheStore() {
        S3Options bucket = S3MockServer.shared().newBucket("bounds");
        Settings settings = onBucket(first, bucket)
                .withAll(Map.of("STRATA_S3_MAX_IN_FLIGHT", "7", "STRATA_S3_MAX_RETRIES", "2"));
        try (var store = (dev.strata.storage.S3ObjectStore) EmbeddedStrata.openStore(settings)) {
            assertThat(store.options().maxRequestsInFlight()).isEqualTo(7);
            assertThat(store.options().maxRetries()).isEqualTo(2);
        }
    }
}
