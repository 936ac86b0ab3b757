package dev.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chroma's spann section: names, defaults, ranges, what is echoed where, and what modify() may change. */
class SpannConfigurationTest {

    @Test
    void unsetFieldsTakeChromasDefaults() {
        SpannConfiguration d = CollectionConfiguration.fromMap(Map.of("spann", Map.of())).spann();
        assertThat(d).isEqualTo(SpannConfiguration.defaults());
        assertThat(d.space()).isEqualTo(Space.L2);
        assertThat(d.searchNprobe()).isEqualTo(64);
        assertThat(d.writeNprobe()).isEqualTo(32);
        assertThat(d.efConstruction()).isEqualTo(200);
        assertThat(d.efSearch()).isEqualTo(200);
        assertThat(d.maxNeighbors()).isEqualTo(64);
        assertThat(d.splitThreshold()).isEqualTo(50);
        assertThat(d.mergeThreshold()).isEqualTo(25);
        assertThat(d.reassignNeighborCount()).isEqualTo(64);
        assertThat(d.numSamplesKmeans()).isEqualTo(1000);
        assertThat(d.initialLambda()).isEqualTo(100.0);
        assertThat(d.numCentersToMergeTo()).isEqualTo(8);
        assertThat(d.nreplicaCount()).isEqualTo(8);
        assertThat(d.searchRngEpsilon()).isEqualTo(10.0);
        assertThat(d.writeRngEpsilon()).isEqualTo(5.0);
        assertThat(d.centerDriftThreshold()).isNull();
        assertThat(d.effectiveCenterDriftThreshold()).isEqualTo(0.125);
    }

    @Test
    void givenFieldsAreKeptAndTheHnswIndexKeepsItsDefaultsInTheSpannSpace() {
        Map<String, Object> spann = new LinkedHashMap<>();
        spann.put("space", "cosine");
        spann.put("search_nprobe", 128);
        spann.put("write_nprobe", 64);
        spann.put("ef_construction", 200);
        spann.put("ef_search", 150);
        spann.put("max_neighbors", 48);
        spann.put("split_threshold", 200);
        spann.put("merge_threshold", 100);
        spann.put("reassign_neighbor_count", 0);
        spann.put("num_samples_kmeans", 500);
        spann.put("initial_lambda", 100);
        spann.put("center_drift_threshold", 0.5);
        spann.put("nreplica_count", null);
        CollectionConfiguration c = CollectionConfiguration.fromMap(Map.of("spann", spann, "embedding_function",
                Map.of("type", "legacy")));
        assertThat(c.isSpann()).isTrue();
        SpannConfiguration s = c.spann();
        assertThat(s.space()).isEqualTo(Space.COSINE);
        assertThat(s.searchNprobe()).isEqualTo(128);
        assertThat(s.writeNprobe()).isEqualTo(64);
        assertThat(s.efSearch()).isEqualTo(150);
        assertThat(s.maxNeighbors()).isEqualTo(48);
        assertThat(s.reassignNeighborCount()).isZero();
        assertThat(s.numSamplesKmeans()).isEqualTo(500);
        assertThat(s.centerDriftThreshold()).isEqualTo(0.5);
        assertThat(s.nreplicaCount()).isEqualTo(8);
        // What the HNSW index reads: its own defaults, in the SPANN space; the SPANN ef/M values do not reach it.
        CollectionConfiguration hnswDefaults = CollectionConfiguration.defaults();
        assertThat(c.space()).isEqualTo(Space.COSINE);
        assertThat(c.efConstruction()).isEqualTo(hnswDefaults.efConstruction());
        assertThat(c.efSearch()).isEqualTo(hnswDefaults.efSearch());
        assertThat(c.maxNeighbors()).isEqualTo(hnswDefaults.maxNeighbors());
        // Stored and read back whole.
        assertThat(SpannConfiguration.fromMap(s.toStoredMap())).isEqualTo(s);
        assertThat(CollectionConfiguration.fromMap(Map.of("spann", s.toStoredMap()))).isEqualTo(c);
    }

    @Test
    void theEchoIsChromasSpannSectionWithoutAnHnswOne() {
        CollectionConfiguration c = CollectionConfiguration.fromMap(Map.of("spann", Map.of("search_nprobe", 10, "space", "ip")));
        Map<String, Object> echo = c.toMap();
        assertThat(echo).containsOnlyKeys("spann");
        @SuppressWarnings("unchecked")
        Map<String, Object> spann = (Map<String, Object>) echo.get("spann");
        assertThat(spann.keySet()).containsExactly("search_nprobe", "write_nprobe", "space", "ef_construction", "ef_search",
                "max_neighbors", "reassign_neighbor_count", "split_threshold", "merge_threshold");
        assertThat(spann).containsEntry("search_nprobe", 10).containsEntry("space", "ip").containsEntry("write_nprobe", 32);
        assertThat(c.spann().toIndexConfigMap()).doesNotContainKey("space").containsKeys("num_samples_kmeans",
                "initial_lambda", "search_rng_epsilon", "num_centers_to_merge_to").doesNotContainKey("center_drift_threshold");
    }

    @Test
    void outOfRangeValuesNameTheField() {
        Map<String, List<Object>> bad = new LinkedHashMap<>();
        bad.put("search_nprobe", List.of(0, 129));
        bad.put("write_nprobe", List.of(0, 65));
        bad.put("split_threshold", List.of(49, 201));
        bad.put("merge_threshold", List.of(24, 101));
        bad.put("reassign_neighbor_count", List.of(-1, 65));
        bad.put("num_samples_kmeans", List.of(0, 1001));
        bad.put("num_centers_to_merge_to", List.of(0, 9));
        bad.put("nreplica_count", List.of(0, 9));
        bad.put("ef_construction", List.of(0, 201));
        bad.put("ef_search", List.of(0, 201));
        bad.put("max_neighbors", List.of(1, 65));
        bad.put("initial_lambda", List.of(99.0, 101));
        bad.put("search_rng_factor", List.of(0.9, 1.1));
        bad.put("write_rng_factor", List.of(2));
        bad.put("search_rng_epsilon", List.of(4.9, 10.5));
        bad.put("write_rng_epsilon", List.of(4, 11));
        bad.put("center_drift_threshold", List.of(0.05, 1.5));
        bad.forEach((field, values) -> {
            for (Object v : values) {
                assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("spann", Map.of(field, v))))
                        .as(field + "=" + v)
                        .isInstanceOf(InvalidArgumentException.class)
                        .hasMessageContaining("spann." + field);
            }
        });
        assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("spann", Map.of("search_nprobe", 1.5))))
                .hasMessageContaining("spann.search_nprobe must be a whole number");
        assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("spann", Map.of("space", "hamming"))))
                .hasMessageContaining("Invalid space");
        assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("spann", Map.of("bogus", 1))))
                .hasMessageContaining("Unknown SPANN configuration key \"bogus\"");
        assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("spann", Map.of("quantize", "four_bit_rabit_q_with_u_search"))))
                .hasMessageContaining("spann.quantize");
        assertThat(CollectionConfiguration.fromMap(Map.of("spann", Map.of("quantize", "none"))).spann())
                .isEqualTo(SpannConfiguration.defaults());
        assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("spann", 3)))
                .hasMessageContaining("must be an object");
    }

    @Test
    void hnswAndSpannTogetherAreRefusedAsChromaRefusesThem() {
        assertThatThrownBy(() -> CollectionConfiguration.fromMap(Map.of("hnsw", Map.of(), "spann", Map.of())))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Multiple vector index configurations provided");
        Map<String, Object> nullHnsw = new LinkedHashMap<>();
        nullHnsw.put("hnsw", null);
        nullHnsw.put("spann", Map.of("search_nprobe", 8));
        assertThat(CollectionConfiguration.fromMap(nullHnsw).spann().searchNprobe()).isEqualTo(8);
        Map<String, Object> nullSpann = new LinkedHashMap<>();
        nullSpann.put("hnsw", Map.of("ef_search", 7));
        nullSpann.put("spann", null);
        CollectionConfiguration hnsw = CollectionConfiguration.fromMap(nullSpann);
        assertThat(hnsw.isSpann()).isFalse();
        assertThat(hnsw.efSearch()).isEqualTo(7);
        assertThat(hnsw.toMap()).containsOnlyKeys("hnsw");
    }

    @Test
    void onlySearchNprobeAndEfSearchChangeAfterCreation() {
        CollectionConfiguration c = CollectionConfiguration.fromMap(Map.of("spann", Map.of("space", "cosine", "write_nprobe", 16)));
        CollectionConfiguration updated = c.apply(ConfigurationUpdate.fromMap(Map.of("spann", Map.of("search_nprobe", 100, "ef_search", 50))));
        assertThat(updated.spann().searchNprobe()).isEqualTo(100);
        assertThat(updated.spann().efSearch()).isEqualTo(50);
        assertThat(updated.spann().writeNprobe()).isEqualTo(16);
        assertThat(updated.space()).isEqualTo(Space.COSINE);
        assertThat(updated.efSearch()).isEqualTo(c.efSearch());
        for (String fixed : new String[] {"space", "write_nprobe", "ef_construction", "max_neighbors", "split_threshold"}) {
            assertThatThrownBy(() -> ConfigurationUpdate.fromMap(Map.of("spann", Map.of(fixed, 1))))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining(fixed);
        }
        assertThatThrownBy(() -> ConfigurationUpdate.fromMap(Map.of("spann", Map.of("search_nprobe", 129))))
                .hasMessageContaining("spann.search_nprobe");
        assertThatThrownBy(() -> ConfigurationUpdate.fromMap(Map.of("spann", Map.of("ef_search", 201))))
                .hasMessageContaining("spann.ef_search");
        assertThatThrownBy(() -> ConfigurationUpdate.fromMap(Map.of("hnsw", Map.of("ef_search", 5), "spann", Map.of("ef_search", 5))))
                .hasMessageContaining("Multiple vector index configurations provided");
        // The other index kind's parameters are refused rather than silently ignored.
        assertThatThrownBy(() -> c.apply(ConfigurationUpdate.efSearch(10))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("spann");
        assertThatThrownBy(() -> CollectionConfiguration.defaults().apply(ConfigurationUpdate.spann(10, null)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("hnsw");
    }

    @Test
    void theSchemaPathTakesTheSameFieldsWithTheSameChecks() {
        Map<String, Object> schema = Map.of("keys", Map.of(CollectionSchema.EMBEDDING_KEY, Map.of("float_list", Map.of("vector_index",
                Map.of("enabled", true, "config", Map.of("space", "ip", "spann", Map.of("search_nprobe", 32, "num_samples_kmeans", 200)))))));
        CollectionSchema s = CollectionSchema.fromMap(schema);
        CollectionConfiguration c = s.configuration();
        assertThat(c.spann().space()).isEqualTo(Space.IP);
        assertThat(c.spann().searchNprobe()).isEqualTo(32);
        assertThat(c.spann().numSamplesKmeans()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> vector = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                s.toMap(c, null).get("keys")).get(CollectionSchema.EMBEDDING_KEY)).get("float_list")).get("vector_index");
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) vector.get("config");
        assertThat(config).containsEntry("space", "ip").doesNotContainKey("hnsw");
        assertThat(config.get("spann")).isEqualTo(c.spann().toIndexConfigMap());

        Map<String, Object> bad = Map.of("defaults", Map.of("float_list", Map.of("vector_index",
                Map.of("enabled", false, "config", Map.of("spann", Map.of("merge_threshold", 101))))));
        assertThatThrownBy(() -> CollectionSchema.fromMap(bad).configuration())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("schema vector_index.config").hasMessageContaining("spann.merge_threshold");
    }
}
