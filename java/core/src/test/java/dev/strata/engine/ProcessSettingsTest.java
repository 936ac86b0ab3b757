package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.InvalidArgumentException;
import dev.strata.nativeio.Dispatch;
import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.HnswIndex;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The process rows of the settings table reach libstrata and the index writer, checked like any setting. */
class ProcessSettingsTest {

    private Dispatch dispatch;

    @BeforeEach
    void remember() {
        dispatch = DistanceKernels.dispatch();
    }

    @AfterEach
    void restore() {
        DistanceKernels.useDispatch(dispatch);
        HnswIndex.useInsertThreads(0);
        ProcessSettings.apply(Map.of("STRATA_IVF_CODES", "true"));
    }

    @Test
    void valuesFromTheEnvironmentReachTheLibrary() {
        int defaultThreads = HnswIndex.insertThreads();
        assertThat(defaultThreads).isBetween(1, 8);

        ProcessSettings.apply(Map.of("STRATA_DISPATCH", "Scalar", "STRATA_INSERT_THREADS", "3"));
        assertThat(DistanceKernels.dispatch()).isEqualTo(Dispatch.SCALAR);
        assertThat(HnswIndex.insertThreads()).isEqualTo(3);

        // Absent settings change nothing.
        ProcessSettings.apply(Map.of("STRATA_PATH", "elsewhere"));
        assertThat(DistanceKernels.dispatch()).isEqualTo(Dispatch.SCALAR);
        assertThat(HnswIndex.insertThreads()).isEqualTo(3);
    }

    @Test
    void aMalformedValueFailsNamingTheSettingAndChangesNothingBeforeIt() {
        assertThatThrownBy(() -> ProcessSettings.apply(Map.of("STRATA_INSERT_THREADS", "lots")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("STRATA_INSERT_THREADS");
        assertThatThrownBy(() -> ProcessSettings.apply(Map.of("STRATA_INSERT_THREADS", "257")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("<= 256");
        assertThatThrownBy(() -> ProcessSettings.apply(Map.of("STRATA_DISPATCH", "sse")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("scalar, avx2");
        assertThatThrownBy(() -> ProcessSettings.apply(Map.of("STRATA_IVF_CODES", "maybe")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("STRATA_IVF_CODES");
        assertThat(HnswIndex.insertThreads()).isBetween(1, 8);
    }
}
