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

    @Test
    void serverSideEncryptionIsCheckedAtStartAndNamesItsSetting() {
        Map<String, String> s3 = Map.of("STRATA_STORAGE", "s3", "STRATA_S3_BUCKET", "vectors");
        Settings plain = Settings.defaults().withAll(s3);
        assertThat(plain.s3Sse()).isEqualTo("none");
        assertThat(plain.s3Encryption()).isEqualTo(dev.strata.storage.S3Encryption.NONE);

        Settings kms = plain.withAll(Map.of("STRATA_S3_SSE", "AWS:KMS", "STRATA_S3_KMS_KEY_ID", "arn:aws:kms:eu-west-1:1:key/k"));
        assertThat(kms.s3Sse()).isEqualTo("aws:kms");
        assertThat(kms.s3Encryption()).isEqualTo(dev.strata.storage.S3Encryption.kms("arn:aws:kms:eu-west-1:1:key/k"));
        assertThat(plain.with("STRATA_S3_SSE", "aes256").s3Encryption())
                .isEqualTo(dev.strata.storage.S3Encryption.aes256());
        assertThat(plain.with("STRATA_S3_SSE", "aws:kms").s3KmsKeyId()).as("the account's aws/s3 key").isNull();

        assertThatThrownBy(() -> plain.with("STRATA_S3_SSE", "aws:kms:dsse"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Setting STRATA_S3_SSE must be one of none, AES256, aws:kms, got \"aws:kms:dsse\"");
        assertThatThrownBy(() -> plain.withAll(Map.of("STRATA_S3_SSE", "AES256", "STRATA_S3_KMS_KEY_ID", "k")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Setting STRATA_S3_KMS_KEY_ID is set but STRATA_S3_SSE is AES256");
        assertThatThrownBy(() -> plain.with("STRATA_S3_KMS_KEY_ID", "k"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("needs aws:kms");
        assertThatThrownBy(() -> Settings.defaults().with("STRATA_S3_SSE", "aws:kms"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Setting STRATA_S3_SSE=aws:kms needs STRATA_STORAGE=s3");
        assertThatThrownBy(() -> Settings.defaults().with("STRATA_S3_SSE", "AES256"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("needs STRATA_STORAGE=s3");
        assertThat(Settings.defaults().with("STRATA_S3_SSE", "none").s3Sse()).isEqualTo("none");
        assertThat(Settings.NAMES).contains("STRATA_S3_SSE", "STRATA_S3_KMS_KEY_ID");
    }

    @Test
    void s3RequestBoundsHaveDefaultsAndAreChecked() {
        Settings d = Settings.defaults();
        assertThat(d.s3MaxInFlight()).isEqualTo(64);
        assertThat(d.s3MaxRetries()).isEqualTo(5);
        Settings set = d.withAll(Map.of("STRATA_S3_MAX_IN_FLIGHT", "8", "STRATA_S3_MAX_RETRIES", "0"));
        assertThat(set.s3MaxInFlight()).isEqualTo(8);
        assertThat(set.s3MaxRetries()).isZero();
        assertThat(Settings.NAMES).contains("STRATA_S3_MAX_IN_FLIGHT", "STRATA_S3_MAX_RETRIES");
        assertThatThrownBy(() -> d.with("STRATA_S3_MAX_IN_FLIGHT", "0"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("STRATA_S3_MAX_IN_FLIGHT must be >= 1");
        assertThatThrownBy(() -> d.with("STRATA_S3_MAX_RETRIES", "-1"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("STRATA_S3_MAX_RETRIES must be >= 0");
    }
}
