package dev.strata.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An object store in a local folder: each key is a file below the root. Writes go to a temp file
 * that is fsync'd and renamed into place, so a reader sees the old object or the new one, never a
 * torn one. The ETag is the MD5 of the content (as S3 gives for single-part uploads).
 *
 * <p>Conditional writes are serialized by a lock file in the root ({@code .lock}), held with an OS
 * file lock, so two processes on the same folder cannot both win a compare-and-swap.
 */
public final class LocalObjectStore implements ObjectStore {

    private static final String TMP_DIR = ".tmp";
    private static final String LOCK_FILE = ".lock";

    private final Path root;
    private final RequestStats stats = new RequestStats();
    private final Object casMonitor = new Object();

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root.resolve(TMP_DIR));
        } catch (IOException e) {
            throw new ObjectStoreException("cannot create object folder " + this.root, null, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public byte[] get(String key) {
        Path p = pathOf(key);
        try {
            byte[] data = Files.readAllBytes(p);
            stats.record(RequestStats.Op.GET, data.length);
            return data;
        } catch (NoSuchFileException e) {
            stats.record(RequestStats.Op.GET, 0);
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw new ObjectStoreException("read failed", key, e);
        }
    }

    @Override
    public VersionedBytes getVersioned(String key) {
        byte[] data = get(key);
        return new VersionedBytes(data, etagOf(data));
    }

    @Override
    public int getRange(String key, long offset, ByteBuffer into) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0");
        }
        return readRange(key, ch -> {
            int n = readAt(ch, into, offset);
            stats.record(RequestStats.Op.GET_RANGE, n);
            return n;
        });
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0");
        }
        return readRange(key, ch -> {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.max(0, Math.min(length, ch.size() - offset)));
            readAt(ch, buf, offset);
            stats.record(RequestStats.Op.GET_RANGE, buf.capacity());
            return buf.array();
        });
    }

    @FunctionalInterface
    private interface ChannelRead<T> {
        T read(FileChannel ch) throws IOException;
    }

    /** Runs a ranged read on the object's file; a missing file is {@link ObjectNotFoundException} (a read of 0 bytes). */
    private <T> T readRange(String key, ChannelRead<T> read) {
        try (FileChannel ch = FileChannel.open(pathOf(key), StandardOpenOption.READ)) {
            return read.read(ch);
        } catch (NoSuchFileException e) {
            stats.record(RequestStats.Op.GET_RANGE, 0);
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw new ObjectStoreException("ranged read failed", key, e);
        }
    }

    /** Reads from {@code offset} until the buffer is full or the file ends; returns how many bytes. */
    private static int readAt(FileChannel ch, ByteBuffer into, long offset) throws IOException {
        int n = 0;
        while (into.hasRemaining()) {
            int read = ch.read(into, offset + n);
            if (read < 0) {
                break;
            }
            n += read;
        }
        return n;
    }

    @Override
    public Optional<ObjectMeta> head(String key) {
        Path p = pathOf(key);
        stats.record(RequestStats.Op.HEAD, 0);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return Optional.of(new ObjectMeta(key, a.size(), etagOf(Files.readAllBytes(p)),
                    a.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ObjectStoreException("head failed", key, e);
        }
    }

    @Override
    public String put(String key, byte[] data) {
        Path target = pathOf(key);
        Path tmp = writeTemp(key, data);
        moveIntoPlace(key, tmp, target);
        stats.record(RequestStats.Op.PUT, data.length);
        return etagOf(data);
    }

    @Override
    public String putFile(String key, Path file) {
        Path target = pathOf(key);
        Path tmp = root.resolve(TMP_DIR).resolve(UUID.randomUUID().toString());
        MessageDigest md5 = md5();
        long size;
        // streamed, not read into memory: index files can be larger than the heap would like
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md5);
             FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            size = in.transferTo(Channels.newOutputStream(out));
            out.force(true);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new ObjectStoreException("cannot read upload source " + file, key, e);
        }
        moveIntoPlace(key, tmp, target);
        stats.record(RequestStats.Op.PUT, size);
        return HexFormat.of().formatHex(md5.digest());
    }

    /**
     * Links the file into place instead of copying it (an index file is hundreds of MB: the copy, its MD5
     * and its fsync were a quarter of a compaction at 100k vectors); copies when the file is on another
     * file system.
     */
    @Override
    public void putImmutableFile(String key, Path file) {
        Path tmp = root.resolve(TMP_DIR).resolve(UUID.randomUUID().toString());
        try {
            Files.createLink(tmp, file);
        } catch (IOException | UnsupportedOperationException e) {
            putFile(key, file);
            return;
        }
        long size;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            size = ch.size();
            ch.force(true); // the writer may not have synced it; a no-op when it did
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new ObjectStoreException("cannot sync upload source " + file, key, e);
        }
        moveIntoPlace(key, tmp, pathOf(key));
        stats.record(RequestStats.Op.PUT, size);
    }

    @Override
    public String putIfAbsent(String key, byte[] data) {
        Path target = pathOf(key);
        Path tmp = writeTemp(key, data);
        try {
            stats.record(RequestStats.Op.PUT_CONDITIONAL, data.length);
            // link(2) fails when the target exists: an atomic create-if-absent across processes.
            inParentFolder(target, () -> Files.createLink(target, tmp));
            fsyncDir(target.getParent());
            return etagOf(data);
        } catch (FileAlreadyExistsException e) {
            throw new PreconditionFailedException(key, "object already exists");
        } catch (IOException e) {
            throw new ObjectStoreException("conditional write failed", key, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    @Override
    public String putIfMatch(String key, byte[] data, String etag) {
        Path target = pathOf(key);
        synchronized (casMonitor) {
            try (FileChannel lockCh = FileChannel.open(root.resolve(LOCK_FILE),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockCh.lock()) {
                stats.record(RequestStats.Op.PUT_CONDITIONAL, data.length);
                byte[] current;
                try {
                    current = Files.readAllBytes(target);
                } catch (NoSuchFileException e) {
                    throw new PreconditionFailedException(key, "object does not exist");
                }
                if (!etagOf(current).equals(etag)) {
                    throw new PreconditionFailedException(key, "etag changed");
                }
                Path tmp = writeTemp(key, data);
                moveIntoPlace(key, tmp, target);
                return etagOf(data);
            } catch (IOException e) {
                throw new ObjectStoreException("conditional write failed", key, e);
            }
        }
    }

    @Override
    public void delete(String key) {
        Path p = pathOf(key);
        stats.record(RequestStats.Op.DELETE, 0);
        try {
            if (Files.deleteIfExists(p)) {
                pruneEmptyFolders(p.getParent());
            }
        } catch (IOException e) {
            throw new ObjectStoreException("delete failed", key, e);
        }
    }

    /**
     * Removes the folders a delete emptied, up to the root: GC deletes whole collections and would
     * otherwise leave a tree of empty folders behind. A writer racing into a folder being removed
     * recreates it ({@link #inParentFolder}).
     */
    private void pruneEmptyFolders(Path dir) {
        for (Path d = dir; d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (IOException e) {
                return; // not empty (or already gone): nothing above it is empty either
            }
        }
    }

    @FunctionalInterface
    private interface FolderOp {
        void run() throws IOException;
    }

    /** Runs {@code op}, which creates {@code target}, recreating its folder if a concurrent delete pruned it. */
    private static void inParentFolder(Path target, FolderOp op) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Files.createDirectories(target.getParent());
            try {
                op.run();
                return;
            } catch (NoSuchFileException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    @Override
    public List<ObjectMeta> list(String prefix) {
        ObjectKeys.validatePrefix(prefix);
        stats.record(RequestStats.Op.LIST, 0);
        // Walk from the deepest folder the prefix names, then filter by the full prefix.
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        List<ObjectMeta> out = new ArrayList<>();
        if (!Files.isDirectory(start)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(start)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                String key = root.relativize(f).toString().replace('\\', '/');
                if (key.startsWith(prefix) && !key.startsWith(TMP_DIR + "/") && !key.equals(LOCK_FILE)) {
                    try {
                        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                        out.add(new ObjectMeta(key, a.size(), null, a.lastModifiedTime().toInstant()));
                    } catch (IOException e) {
                        // deleted while listing: not part of the listing
                    }
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new ObjectStoreException("list failed", prefix, e);
        }
        out.sort((a, b) -> a.key().compareTo(b.key()));
        return out;
    }

    @Override
    public RequestStats stats() {
        return stats;
    }

    @Override
    public String describe() {
        return "local:" + root;
    }

    @Override
    public void close() {
        // nothing held open between calls
    }

    private Path pathOf(String key) {
        ObjectKeys.validate(key);
        if (key.equals(LOCK_FILE) || key.equals(TMP_DIR) || key.startsWith(TMP_DIR + "/")) {
            throw new IllegalArgumentException("invalid object key: " + key + " is reserved by the local store");
        }
        return root.resolve(key);
    }

    private Path writeTemp(String key, byte[] data) {
        Path tmp = root.resolve(TMP_DIR).resolve(UUID.randomUUID().toString());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
            return tmp;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new ObjectStoreException("write failed", key, e);
        }
    }

    private void moveIntoPlace(String key, Path tmp, Path target) {
        try {
            inParentFolder(target, () -> {
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            });
            fsyncDir(target.getParent());
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new ObjectStoreException("write failed", key, e);
        }
    }

    private static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems refuse to open folders; the rename itself is still atomic
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is harmless: temp files are never listed
        }
    }

    static String etagOf(byte[] data) {
        return HexFormat.of().formatHex(md5().digest(data));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
