package dev.strata.wal;

import dev.strata.storage.LocalKv;
import dev.strata.storage.ObjectStoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The log index in the node's RocksDB (column family {@value #FAMILY}): per collection, each segment's
 * seq range, size and whether it is uploaded and still local ({@code s/{collection}/{first}}), and the
 * truncation watermark ({@code w/{collection}}). Local files are the truth for what they hold; the index
 * remembers what files cannot: which segments are in the object store and which were truncated.
 */
final class WalIndex implements AutoCloseable {

    static final String FAMILY = "wal";

    /** A segment as the index knows it. */
    record Entry(long firstSeq, long lastSeq, long bytes, boolean uploaded, boolean local, long epoch) {}

    /** Everything the index holds for one collection. */
    record CollectionEntries(TreeMap<Long, Entry> segments, long lowWatermark) {}

    private final LocalKv kv;
    private final ColumnFamilyHandle cf;
    private final WriteOptions noSync = new WriteOptions();

    WalIndex(LocalKv kv) {
        this.kv = kv;
        this.cf = kv.family(FAMILY);
    }

    void putSegment(String collection, Segment s, boolean sync) {
        // The epoch (the key it was uploaded under) follows the 17 bytes of the format without epochs.
        ByteBuffer v = ByteBuffer.allocate(25)
                .putLong(s.lastSeq).putLong(s.bytes)
                .put((byte) ((s.uploaded ? 1 : 0) | (s.localPresent ? 2 : 0)))
                .putLong(s.epoch);
        write(sync, b -> b.put(cf, segmentKey(collection, s.firstSeq), v.array()));
    }

    void removeSegment(String collection, long firstSeq) {
        write(true, b -> b.delete(cf, segmentKey(collection, firstSeq)));
    }

    void putLowWatermark(String collection, long seq) {
        write(true, b -> b.put(cf, bytes("w/" + collection), ByteBuffer.allocate(8).putLong(seq).array()));
    }

    /** Forgets everything: the local log is no longer this node's to continue (another writer took over since). */
    void clear() {
        write(true, b -> b.deleteRange(cf, new byte[] {0}, new byte[] {(byte) 0xff}));
    }

    void removeCollection(String collection) {
        write(true, b -> {
            b.deleteRange(cf, bytes("s/" + collection + "/"), bytes("s/" + collection + "0"));
            b.delete(cf, bytes("w/" + collection));
        });
    }

    Map<String, CollectionEntries> loadAll() {
        Map<String, CollectionEntries> out = new HashMap<>();
        try (RocksIterator it = kv.db().newIterator(cf)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                String key = new String(it.key(), StandardCharsets.UTF_8);
                ByteBuffer v = ByteBuffer.wrap(it.value());
                if (key.startsWith("s/")) {
                    int slash = key.lastIndexOf('/');
                    String collection = key.substring(2, slash);
                    long first = Long.parseLong(key.substring(slash + 1));
                    long last = v.getLong();
                    long size = v.getLong();
                    byte flags = v.get();
                    long epoch = v.remaining() >= 8 ? v.getLong() : 0;
                    entries(out, collection).segments().put(first,
                            new Entry(first, last, size, (flags & 1) != 0, (flags & 2) != 0, epoch));
                } else if (key.startsWith("w/")) {
                    String collection = key.substring(2);
                    out.put(collection, new CollectionEntries(entries(out, collection).segments(), v.getLong()));
                }
            }
        }
        return out;
    }

    private static CollectionEntries entries(Map<String, CollectionEntries> out, String collection) {
        return out.computeIfAbsent(collection, c -> new CollectionEntries(new TreeMap<>(), 1));
    }

    private static byte[] segmentKey(String collection, long firstSeq) {
        return bytes(String.format("s/%s/%020d", collection, firstSeq));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        noSync.close();
    }

    @FunctionalInterface
    private interface BatchBody {
        void fill(WriteBatch b) throws RocksDBException;
    }

    private void write(boolean sync, BatchBody body) {
        try (WriteBatch b = new WriteBatch()) {
            body.fill(b);
            kv.db().write(sync ? kv.syncWrite() : noSync, b);
        } catch (RocksDBException e) {
            throw new ObjectStoreException("cannot update the log index: " + e.getMessage(), null, e);
        }
    }
}
