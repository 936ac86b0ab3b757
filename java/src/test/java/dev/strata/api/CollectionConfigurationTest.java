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
                .hasMessageContaining("ef_search must be >= 1");
        assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("hnsw", Map.of("ef_search", "high"))))
                .hasMessageContaining("must be an integer");
        assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("hnsw", Map.of("bogus", 1))))
                .hasMessageContaining("Unknown HNSW configuration key");
        assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("spann", Map.of())))
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
        assertThatThrownBy(() -> c.apply(ConfigurationUpdate.efSearch(0))).hasMessageContaining("ef_search");
    }
}
