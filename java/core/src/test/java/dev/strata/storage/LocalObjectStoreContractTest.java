package dev.strata.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalObjectStoreContractTest extends ObjectStoreContractTest {

    private final AtomicInteger stores = new AtomicInteger();

    @Override
    ObjectStore openStore(long multipartThresholdBytes, long multipartPartBytes, int listPageSize) {
        return new LocalObjectStore(tempDir.resolve("store-" + stores.incrementAndGet()));
    }

    @Override
    long expectedListRequests(int keys, int pageSize) {
        return 1; // a folder walk is one request
    }

    @Override
    void assertMultipart(ObjectStore multipartStore, String etag, int parts) {
        // a folder has no parts: the file is streamed to a temp file and renamed in one step
        assertThat(multipartStore.stats().requests(RequestStats.Op.PUT)).isEqualTo(1);
    }

    @Test
    void objectsOfTheLocalBackendLiveUnderObjects() {
        try (ObjectStore s = ObjectStores.open(StorageOptions.defaults(), tempDir.resolve("node"))) {
            s.put("c/1/b/x", bytes("x"));
            assertThat(tempDir.resolve("node/objects/c/1/b/x")).hasContent("x");
            assertThat(s.describe()).contains("node/objects");
        }
    }

    @Test
    void anImmutableFileIsLinkedNotCopied() throws Exception {
        Path file = tempDir.resolve("hnsw.bin");
        Files.write(file, bytes("index bytes"));

        store.putImmutableFile("c/1/i/x/hnsw.bin", file);

        Path object = ((LocalObjectStore) store).root().resolve("c/1/i/x/hnsw.bin");
        assertThat(Files.isSameFile(object, file)).as("one inode, two names").isTrue();
        assertThat((Integer) Files.getAttribute(file, "unix:nlink")).isEqualTo(2);
        store.putFile("c/1/i/y/hnsw.bin", file);
        assertThat(Files.isSameFile(((LocalObjectStore) store).root().resolve("c/1/i/y/hnsw.bin"), file))
                .as("a plain putFile copies").isFalse();
    }

    @Test
    void deletePrunesFoldersItEmptied() {
        LocalObjectStore local = (LocalObjectStore) store;
        local.put("c/1/b/x", bytes("x"));
        local.put("c/2/b/y", bytes("y"));

        local.delete("c/1/b/x");

        assertThat(local.root().resolve("c/1")).doesNotExist();
        assertThat(local.root().resolve("c/2/b/y")).exists();
        local.put("c/1/b/z", bytes("z"));
        assertThat(local.get("c/1/b/z")).isEqualTo(bytes("z"));
    }

    @Test
    void writersRacingAFolderPruneNeverFail() throws Exception {
        // deletes empty the folder c/1/b again and again while other threads write into it
        parallel(8, 400, i -> {
            String key = "c/1/b/" + (i % 4);
            if (i % 2 == 0) {
                store.put(key, bytes("v" + i));
            } else {
                store.delete(key);
            }
        });
        for (int k = 0; k < 4; k++) {
            store.put("c/1/b/" + k, bytes("final"));
        }
        assertThat(store.list("c/1/b/")).hasSize(4);
    }

    @Test
    void leftoverTempFilesAreNeverListed() throws Exception {
        LocalObjectStore local = (LocalObjectStore) store;
        Files.writeString(local.root().resolve(".tmp").resolve("junk"), "partial");
        local.put("a", bytes("a"));

        assertThat(local.list("")).extracting(ObjectMeta::key).containsExactly("a");
        assertThat(Path.of(local.describe().substring("local:".length()))).isEqualTo(local.root());
    }
}
