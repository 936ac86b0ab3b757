package dev.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CollectionConfigurationTest {

    @Test
    void defaultsAreChromas() {
        CollectionConfiguration c = CollectionConfiguration.defaults();
        assertThat(c.space()).isEqualTo(Space.L2);
        assertThat(c.efConstruction()).isEqualTo(100);
        assertThat(c.efSearch()).isEqualTo(100);
        assertThat(c.maxNeighbors()).isEqualTo(16);
        assertThat(c.syncThreshold()).isEqualTo(1000);
        assertThat(c.resizeFactor()).isEqualTo(1.2);
    }

    @Test
    void parsesChromasJsonShapeAndRoundTrips() {
        CollectionConfiguration c = CollectionConfiguration.fromMap(
                Map.of("hnsw", Map.of("space", "cosine", "ef_construction", 200, "max_neighbors", 32), "embedding_function", Map.of()));
        assertThat(c.space()).isEqualTo(Space.COSINE);
        assertThat(c.efConstruction()).isEqualTo(200);
        assertThat(c.maxNeighbors()).isEqualTo(32);
        assertThat(c.efSearch()).isEqualTo(100);
        assertThat(CollectionConfiguration.fromMap(c.toMap()).withSpace(Space.COSINE)).isEqualTo(c);
    }

    @Test
    void readsLegacyMetadataKeysWhenNoConfigurationIsGiven() {
        Map<String, Object> metadata = Map.of("hnsw:space", "ip", "hnsw:construction_ef", 150, "hnsw:search_ef", 50,
                "hnsw:M", 8, "owner", "me");
        CollectionConfiguration c = CollectionConfiguration.resolve(null, metadata);
        assertThat(c.space()).isEqualTo(Space.IP);
        assertThat(c.efConstruction()).isEqualTo(150);
        assertThat(c.efSearch()).isEqualTo(50);
        assertThat(c.maxNeighbors()).isEqualTo(8);
        CollectionConfiguration explicit = CollectionConfiguration.defaults().withSpace(Space.COSINE);
        assertThat(CollectionConfiguration.resolve(explicit, metadata)).isEqualTo(explicit);
    }

    @Test
    void rejectsBadValuesAndUnknownKeys() {
        assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("hnsw", Map.of("space", "manhattan"))))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("manhattan");
        assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("hnsw", Map.of("ef_search", 0))))
                .hasMessageContaining("hnsw.ef_search must be between 1 and 10000, got 0");
        assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("hnsw", Map.of("ef_search", "high"))))
                .hasMessageContaining("hnsw.ef_search must be a whole number");
        assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("hnsw", Map.of("bogus", 1))))
                .hasMessageContaining("Unknown HNSW configuration key");
        assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("ivf", Map.of())))
                .hasMessageContaining("Unsupported collection configuration key");
    }

    @Test
    void onlyChromasUpdatableFieldsChangeAfterCreation() {
        CollectionConfiguration c = CollectionConfiguration.defaults();
        ConfigurationUpdate u = ConfigurationUpdate.fromMap(Map.of("hnsw", Map.of("ef_search", 250, "sync_threshold", 10)));
        CollectionConfiguration updated = c.apply(u);
        assertThat(updated.efSearch()).isEqualTo(250);
        assertThat(updated.syncThreshold()).isEqualTo(10);
        assertThat(updated.space()).isEqualTo(c.space());
        for (String fixed : new String[] {"space", "ef_construction", "max_neighbors"}) {
            assertThatThrownBy(() -> ConfigurationUpdate.fromMap(Map.of("hnsw", Map.of(fixed, 1))))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("cannot be changed");
        }
        assertThatThrownBy(() -> ConfigurationUpdate.efSearch(0)).hasMessageContaining("ef_search");
    }

    /** Every hnsw field refuses values past what the native index should be asked for, at create and at modify. */
    @Test
    void everyFieldIsRangeCheckedAtCreateAndAtModify() {
        Map<String, Object[]> outside = new java.util.LinkedHashMap<>();
        outside.put("max_neighbors", new Object[] {1, 513, 2147483647, -5, 1L << 40, new java.math.BigInteger("99999999999999999999999")});
        outside.put("ef_construction", new Object[] {0, 10_001, 2147483647});
        outside.put("ef_search", new Object[] {0, -1, 10_001, Long.MAX_VALUE});
        outside.put("num_threads", new Object[] {0, 1025});
        outside.put("resize_factor", new Object[] {0.5, 100.5, Double.POSITIVE_INFINITY, Double.NaN});
        outside.put("sync_threshold", new Object[] {1, 100_000_001});
        outside.put("batch_size", new Object[] {1, 100_000_001});
        outside.forEach((field, values) -> {
            for (Object v : values) {
                assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("hnsw", Map.of(field, v))))
                        .as(field + "=" + v).isInstanceOf(InvalidArgumentException.class)
                        .hasMessageContaining("hnsw." + field);
                if (!field.equals("max_neighbors") && !field.equals("ef_construction")) {
                    assertThatThrownBy(() -> ConfigurationUpdate.fromMap(Map.of("hnsw", Map.of(field, v))))
                            .as("update " + field + "=" + v).isInstanceOf(InvalidArgumentException.class)
                            .hasMessageContaining("hnsw." + field);
                }
            }
        });
        // The bounds themselves are accepted.
        CollectionConfiguration c = CollectionConfiguration.fromMap(Map.of("hnsw", Map.of("max_neighbors", 512,
                "ef_construction", 10_000, "ef_search", 10_000, "resize_factor", 100, "num_threads", 1)));
        assertThat(c.maxNeighbors()).isEqualTo(512);
        assertThat(c.resizeFactor()).isEqualTo(100.0);
        // Legacy metadata keys are named as the user wrote them.
        assertThatThrownBy(() -> CollectionConfiguration.fromLegacyMetadata(Map.of("hnsw:M", 100_000)))
                .hasMessageContaining("hnsw:M (hnsw.max_neighbors) must be between 2 and 512");
        // The Java API is checked too.
        assertThatThrownBy(() -> new CollectionConfiguration(Space.L2, 100, 100, 2147483647, 1, 1.2, 1000, 100))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("hnsw.max_neighbors");
    }
}
