package dev.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsNeedNoConfiguration() {
        Settings s = Settings.defaults(Path.of("/data"));
        assertThat(s.storage()).isEqualTo(Settings.Storage.LOCAL);
        assertThat(s.durability()).isEqualTo(Settings.Durability.LOCAL);
        assertThat(s.compactionThresholdRecords()).isEqualTo(1000);
        assertThat(s.compactionIntervalMs()).isEqualTo(60_000);
        assertThat(s.gcKeepVersions()).isEqualTo(3);
        assertThat(s.gcTtlMs()).isEqualTo(7L * 24 * 3600 * 1000);
        assertThat(s.maxBatchSize()).isEqualTo(5461);
        assertThat(s.readOnly()).isFalse();
        assertThat(s.readOnlyRefreshMs()).isEqualTo(5_000);
    }

    @Test
    void environmentVariablesOverrideByName() {
        Settings s = Settings.defaults().withAll(Map.of(
                "STRATA_PATH", "/var/strata",
                "STRATA_STORAGE", "S3",
                "STRATA_S3_BUCKET", "vectors",
                "STRATA_S3_PATH_STYLE", "true",
                "STRATA_DURABILITY", "s3",
                "STRATA_CACHE_MEMORY_BYTES", "1_000_000",
                "STRATA_MAX_BATCH_SIZE", "100",
                "STRATA_READ_ONLY", "TRUE",
                "STRATA_READ_ONLY_REFRESH_MS", "0",
                "HOME", "/root"));
        assertThat(s.path()).isEqualTo(Path.of("/var/strata"));
        assertThat(s.storage()).isEqualTo(Settings.Storage.S3);
        assertThat(s.s3Bucket()).isEqualTo("vectors");
        assertThat(s.s3PathStyle()).isTrue();
        assertThat(s.durability()).isEqualTo(Settings.Durability.S3);
        assertThat(s.cacheMemoryBytes()).isEqualTo(1_000_000);
        assertThat(s.maxBatchSize()).isEqualTo(100);
        assertThat(s.readOnly()).isTrue();
        assertThat(s.readOnlyRefreshMs()).isZero();
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> Settings.defaults().with("STRATA_STORAGE", "gcs"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("STRATA_STORAGE must be local or s3");
        assertThatThrownBy(() -> Settings.defaults().with("STRATA_GC_TTL_MS", "7d"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("STRATA_GC_TTL_MS");
        assertThatThrownBy(() -> Settings.defaults().with("STRATA_STORAGE", "s3"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("STRATA_S3_BUCKET is required");
        assertThatThrownBy(() -> Settings.defaults().with("STRATA_MAX_BATCH_SIZE", "0"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining(">= 1");
        assertThatThrownBy(() -> Settings.defaults().with("STRATA_READ_ONLY", "yes"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("STRATA_READ_ONLY must be true or false");
        assertThatThrownBy(() -> Settings.defaults().with("STRATA_NOPE", "1"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("Unknown setting STRATA_NOPE");
    }
}
