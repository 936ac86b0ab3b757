package dev.strata.engine;

import dev.strata.api.FolderInUseException;
import dev.strata.storage.LocalKv;
import dev.strata.storage.ObjectStoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A node's local folder is held by one node at a time: RocksDB's lock on the catalog copy enforces it.
 * This names the holder when a second node is refused: the folder records the pid of the node that
 * opened it last ({@code node.pid}).
 */
final class NodeFolder {

    static final String PID_FILE = "node.pid";
    /** RocksDB's native library, kept here so a start does not unpack it again (see storage.KvNativeLibrary). */
    static final String NATIVE_DIR = "native";

    private NodeFolder() {}

    /** Opens the folder's key-value store, or says which process holds the folder. */
    static LocalKv openKv(Path path, List<String> families) {
        LocalKv kv;
        try {
            kv = LocalKv.open(path.resolve("catalog"), families, path.resolve(NATIVE_DIR));
        } catch (ObjectStoreException e) {
            if (isLockHeld(e)) {
                throw new FolderInUseException("Folder " + path.toAbsolutePath() + " is held by another Strata node"
                        + holder(path) + ": one folder serves one node at a time (give each node its own STRATA_PATH)", e);
            }
            throw e;
        }
        try {
            Files.writeString(path.resolve(PID_FILE), Long.toString(ProcessHandle.current().pid()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // only the message of a refused second node loses its pid
        }
        return kv;
    }

    private static boolean isLockHeld(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.toLowerCase(Locale.ROOT).contains("lock")) {
                return true;
            }
        }
        return false;
    }

    /** " (pid N)" or " (pid N, this process)", or nothing when the pid file is missing. */
    private static String holder(Path path) {
        try {
            long pid = Long.parseLong(Files.readString(path.resolve(PID_FILE), StandardCharsets.UTF_8).trim());
            return pid == ProcessHandle.current().pid() ? " (pid " + pid + ", this process)" : " (pid " + pid + ")";
        } catch (IOException | NumberFormatException e) {
            return "";
        }
    }
}
