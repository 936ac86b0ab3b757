package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.ivf.IvfParams;
import dev.strata.nativeio.Space;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chroma's spann split_threshold, merge_threshold and reassign_neighbor_count reach the clustered index's bounds. */
class VectorParamsBalanceTest {

    @Test
    void chromasDefaultWindowBecomesBoundsAroundTheDefaultClusterSize() {
        IvfParams ivf = VectorParams.fromCollection(384, null, null).ivf();
        assertThat(ivf.clusterSize()).isEqualTo(IvfParams.DEFAULT_CLUSTER_SIZE);
        assertThat(ivf.minCluster()).isEqualTo(181);
        assertThat(ivf.maxCluster()).isEqualTo(362);
        assertThat(ivf.reassignNeighbors()).isEqualTo(64);
    }

    @Test
    void aSpannSectionsThresholdsScaleTheBoundsAndAreKeptInTheManifest() {
        Map<String, Object> spann = new LinkedHashMap<>();
        spann.put("space", "cosine");
        spann.put("split_threshold", 200);
        spann.put("merge_threshold", 50);
        spann.put("reassign_neighbor_count", 8);
        VectorParams params = VectorParams.fromCollection(64, Map.of("spann", spann), null);

        IvfParams ivf = params.ivf();
        assertThat(params.space()).isEqualTo(Space.COSINE);
        assertThat(ivf.maxCluster()).isEqualTo(1448);
        assertThat(ivf.minCluster()).isEqualTo(362);
        assertThat(ivf.clusterSize()).isEqualTo(724);
        assertThat(ivf.reassignNeighbors()).isEqualTo(8);

        VectorParams back = VectorParams.fromMap(params.toMap());
        assertThat(back).isEqualTo(params);
        // The search settings follow the configuration; the balance stays the manifest's.
        assertThat(back.withSearch(VectorParams.fromCollection(64, null, null)).ivf().maxCluster()).isEqualTo(1448);
    }

    @Test
    void aMergeThresholdAboveHalfTheSplitIsCappedAtHalfIt() {
        Map<String, Object> spann = Map.of("split_threshold", 50, "merge_threshold", 100);
        IvfParams ivf = VectorParams.fromCollection(8, Map.of("spann", spann), null).ivf();
        assertThat(ivf.maxCluster()).isEqualTo(362);
        assertThat(ivf.minCluster()).isEqualTo(181);
        assertThat(ivf.clusterSize()).isBetween(ivf.minCluster(), ivf.maxCluster());
    }

    @Test
    void aManifestWrittenBeforeBalancingReadsWithChromasDefaults() {
        Map<String, Object> old = new LinkedHashMap<>(new VectorParams(Space.L2, 16, 16, 100, 100).toMap());
        old.remove("split_threshold");
        old.remove("merge_threshold");
        old.remove("reassign_neighbor_count");
        VectorParams read = VectorParams.fromMap(old);
        assertThat(read.splitThreshold()).isEqualTo(50);
        assertThat(read.mergeThreshold()).isEqualTo(25);
        assertThat(read.reassignNeighborCount()).isEqualTo(64);
    }
}
