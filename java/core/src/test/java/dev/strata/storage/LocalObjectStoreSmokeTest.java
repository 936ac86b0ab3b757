package dev.strata.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreSmokeTest {

    @TempDir
    Path dir;

    @Test
    void conditionalWritesFollowEtags() {
        try (LocalObjectStore store = new LocalObjectStore(dir)) {
            String e1 = store.putIfAbsent("a/m.json", "v1".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> store.putIfAbsent("a/m.json", new byte[] {1}))
                    .isInstanceOf(PreconditionFailedException.class);
            String e2 = store.putIfMatch("a/m.json", "v2".getBytes(StandardCharsets.UTF_8), e1);
            assertThatThrownBy(() -> store.putIfMatch("a/m.json", new byte[] {2}, e1))
                    .isInstanceOf(PreconditionFailedException.class);
            assertThat(store.getVersioned("a/m.json").etag()).isEqualTo(e2);
            assertThat(store.list("a/")).extracting(ObjectMeta::key).containsExactly("a/m.json");
            assertThatThrownBy(() -> store.get("a/none")).isInstanceOf(ObjectNotFoundException.class);
        }
    }
}
