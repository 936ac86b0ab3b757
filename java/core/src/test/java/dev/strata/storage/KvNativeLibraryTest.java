package dev.strata.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.util.Environment;

/** RocksDB's library is copied into the node folder once and found there by every later start. */
class KvNativeLibraryTest {

    @TempDir
    Path dir;

    @Test
    void theLibraryIsCopiedOnceWholeAndReusedByTheNextStart() throws Exception {
        Path nativeDir = dir.resolve("native");
        Path first = KvNativeLibrary.copyIn(nativeDir);
        assertThat(first).as("the rocksdbjni jar is on the class path").isNotNull();
        Path library = first.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
        assertThat(library).isRegularFile();
        assertThat(Files.size(library)).as("the whole 15 MB library").isGreaterThan(10L << 20);
        try (Stream<Path> files = Files.list(first)) {
            assertThat(files.toList()).as("no temporary copy left").containsExactly(library);
        }

        FileTime written = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(library, written);
        assertThat(KvNativeLibrary.copyIn(nativeDir)).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(library)).as("a whole copy is not written again").isEqualTo(written);

        // A copy cut short (a crash while writing by an older version) is replaced, not loaded.
        Files.write(library, new byte[100]);
        KvNativeLibrary.copyIn(nativeDir);
        assertThat(Files.size(library)).isGreaterThan(10L << 20);
    }

    @Test
    void aNodeFolderStoreOpensWithTheLibraryLoadedFromItsCopy() throws Exception {
        try (LocalKv kv = LocalKv.open(dir.resolve("catalog"), List.of("f"), dir.resolve("native"))) {
            kv.db().put(kv.family("f"), kv.syncWrite(), "k".getBytes(), "v".getBytes());
            assertThat(kv.db().get(kv.family("f"), "k".getBytes())).isEqualTo("v".getBytes());
        }
    }
}
