package dev.strata.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Core alone (no strata-s3 on this module's test class path): local opens, S3 names the missing artifact. */
class ObjectStoresTest {

    @TempDir
    Path dir;

    @Test
    void opensTheLocalStoreInTheObjectsFolder() throws Exception {
        try (ObjectStore store = ObjectStores.open(StorageOptions.local(), dir)) {
            assertThat(store).isInstanceOf(LocalObjectStore.class);
            store.put("k", new byte[] {1, 2, 3});
        }
        assertThat(Files.exists(dir.resolve(ObjectStores.LOCAL_OBJECTS_DIR))).isTrue();
    }

    @Test
    void s3WithoutTheS3ArtifactFailsNamingIt() {
        assertThatThrownBy(() -> ObjectStores.open(StorageOptions.s3(S3Options.of("bucket")), dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dev.strata:strata-s3")
                .hasMessageContaining("s3");
    }
}
