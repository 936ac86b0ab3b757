package dev.strata.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's native library from a copy kept in the node folder ({@code {path}/native/rocksdbjni-<crc>/}) instead
 * of RocksDB's own loader, which unpacks its 15 MB library from the jar into the temporary folder at every start:
 * about 130 ms of every fresh open on the build machine, and a file left in /tmp by each node that does not exit
 * cleanly (a test machine had gathered 4.2 GB of them). The copy is named by the jar entry's CRC, so another RocksDB
 * version gets its own; it is written under a temporary name and moved into place, so a present copy is whole.
 * Whatever goes wrong (no jar, a read-only folder), RocksDB's own loader runs instead.
 */
final class KvNativeLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(KvNativeLibrary.class);

    private KvNativeLibrary() {}

    private static boolean loaded;

    /**
     * Loads the library once per JVM; {@code nativeDir} is where the node keeps its copy. Later calls (every later
     * open in this JVM) return at once, without reading the jar's directory or the copy again.
     */
    static synchronized void load(Path nativeDir) {
        if (loaded) {
            return;
        }
        loadOnce(nativeDir);
        loaded = true;
    }

    private static void loadOnce(Path nativeDir) {
        try {
            Path dir = copyIn(nativeDir);
            if (dir != null) {
                RocksDB.loadLibrary(List.of(dir.toString()));
                return;
            }
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.debug("RocksDB's library not loaded from {}: {}; unpacking it as RocksDB does", nativeDir, e.toString());
        }
        RocksDB.loadLibrary();
    }

    /** The folder holding a whole copy of the jar's library under the name RocksDB loads from, or null (no jar). */
    static Path copyIn(Path nativeDir) throws IOException {
        var source = RocksDB.class.getProtectionDomain().getCodeSource();
        if (source == null || !source.getLocation().getPath().endsWith(".jar")) {
            return null;
        }
        String resource = Environment.getJniLibraryFileName("rocksdb"); // as the jar names it
        String target = Environment.getJniLibraryFileName("rocksdbjni"); // as loadLibrary(paths) looks for it
        try (JarFile jar = new JarFile(Path.of(source.getLocation().toURI()).toFile())) {
            ZipEntry entry = jar.getEntry(resource);
            if (entry == null) {
                return null;
            }
            Path dir = nativeDir.resolve("rocksdbjni-" + Long.toHexString(entry.getCrc()));
            Path file = dir.resolve(target);
            if (Files.isRegularFile(file) && Files.size(file) == entry.getSize()) {
                return dir;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, target, ".tmp");
            try (InputStream in = jar.getInputStream(entry)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return dir;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
