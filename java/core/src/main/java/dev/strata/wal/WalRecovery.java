package dev.strata.wal;

import dev.strata.storage.Futures;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectLayout.LogSegment;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds every collection's log when the WAL opens: scans local segment files (cutting a torn tail of
 * the newest one, refusing corruption anywhere else), merges them with the index (which remembers
 * uploaded segments whose files are gone and truncation watermarks), and, on a node with neither local
 * files nor index, lists the sealed segments in the object store.
 */
final class WalRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(WalRecovery.class);

    private final Path walDir;
    private final WalIndex index;
    private final ObjectStore store;

    private final Collection<String> storeLogs;
    private final LogFences fences;

    /**
     * {@code storeLogs}: on a new node, the collections whose logs to look for in the object store (the
     * catalog's), each listed under its own {@code log/} prefix; null lists everything under {@code c/},
     * every block and index file of every collection included (thousands of keys at a million records).
     */
    WalRecovery(Path walDir, WalIndex index, ObjectStore store, Collection<String> storeLogs, LogFences fences) {
        this.fences = fences;
        this.walDir = walDir;
        this.index = index;
        this.store = store;
        this.storeLogs = storeLogs == null ? null : List.copyOf(storeLogs);
    }

    Map<String, CollectionLog> recover() {
        try {
            Files.createDirectories(walDir);
            Map<String, WalIndex.CollectionEntries> indexed = index.loadAll();
            TreeSet<String> local = localCollections();
            if (local.isEmpty() && indexed.isEmpty()) {
                return fromStore();
            }
            TreeSet<String> all = new TreeSet<>(local);
            all.addAll(indexed.keySet());
            Map<String, CollectionLog> logs = new HashMap<>();
            for (String collection : all) {
                WalIndex.CollectionEntries entries = indexed.getOrDefault(collection,
                        new WalIndex.CollectionEntries(new TreeMap<>(), 1));
                CollectionLog log = recoverCollection(collection, entries);
                logs.put(collection, log);
            }
            return logs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recover the write-ahead log in " + walDir, e);
        }
    }

    private TreeSet<String> localCollections() throws IOException {
        TreeSet<String> out = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(walDir)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                String name = d.getFileName().toString();
                try {
                    ObjectLayout.requireValidCollection(name);
                    out.add(name);
                } catch (IllegalArgumentException e) {
                    LOG.warn("ignoring {}: not a collection log folder", d);
                }
            }
        }
        return out;
    }

    private CollectionLog recoverCollection(String collection, WalIndex.CollectionEntries entries) throws IOException {
        CollectionLog log = new CollectionLog(collection, walDir.resolve(collection));
        log.lowWatermark = entries.lowWatermark();
        List<Path> files = segmentFiles(log.dir);
        for (int i = 0; i < files.size(); i++) {
            Segment seg = scanFile(files.get(i), i == files.size() - 1);
            if (seg == null) {
                continue;
            }
            WalIndex.Entry e = entries.segments().get(seg.firstSeq);
            seg.uploaded = e != null && e.uploaded() && e.lastSeq() == seg.lastSeq;
            seg.epoch = seg.uploaded ? e.epoch() : 0;
            log.segments.put(seg.firstSeq, seg);
        }
        for (WalIndex.Entry e : entries.segments().values()) {
            if (log.segments.containsKey(e.firstSeq())) {
                continue;
            }
            if (!e.uploaded()) {
                index.removeSegment(collection, e.firstSeq());
                if (e.lastSeq() >= log.lowWatermark) {
                    throw new IllegalStateException("log segment " + e.firstSeq() + "-" + e.lastSeq() + " of collection "
                            + collection + " was neither uploaded nor found in " + log.dir + ": its records are lost");
                }
                continue;
            }
            Segment seg = new Segment(e.firstSeq(), null);
            seg.lastSeq = e.lastSeq();
            seg.bytes = e.bytes();
            seg.sealed = true;
            seg.uploaded = true;
            seg.epoch = e.epoch();
            log.segments.put(seg.firstSeq, seg);
        }
        requireContiguous(log);
        finish(log);
        return log;
    }

    private static List<Path> segmentFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> CollectionLog.isSegmentFileName(p.getFileName().toString())).sorted().toList();
        }
    }

    /** Scans one segment file; cuts a torn tail when it is the newest file. Null for a file with no record. */
    private static Segment scanFile(Path file, boolean newest) throws IOException {
        long first = Long.parseLong(file.getFileName().toString().substring(0, 20));
        Segment seg = new Segment(first, file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new WalCorruptedException(file, 0, "segment file of " + size + " bytes is larger than any segment");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && ch.read(buf, buf.position()) >= 0) {
                // positional reads until full
            }
            buf.flip();
            RecordFrame.Scan scan = RecordFrame.scan(buf, first, (seq, off, p) -> seg.addOffset(off));
            switch (scan.end()) {
                case CLEAN -> { }
                case TORN_TAIL -> {
                    if (!newest) {
                        throw new WalCorruptedException(file, scan.validBytes(),
                                scan.detail() + " in a sealed segment (only the newest segment may have a torn tail)");
                    }
                    LOG.warn("cutting a torn tail of {} bytes from {} at offset {} ({})",
                            size - scan.validBytes(), file, scan.validBytes(), scan.detail());
                    ch.truncate(scan.validBytes());
                    ch.force(true);
                }
                case CORRUPT -> throw new WalCorruptedException(file, scan.validBytes(), scan.detail());
            }
            seg.lastSeq = scan.lastSeq();
            seg.bytes = scan.validBytes();
        }
        if (!seg.hasRecords()) {
            Files.delete(file);
            return null;
        }
        seg.durableBytes = seg.bytes;
        seg.sealed = true;
        seg.localPresent = true;
        return seg;
    }

    /** From the watermark up, each segment must start where the previous one ended. */
    private static void requireContiguous(CollectionLog log) {
        Segment prev = null;
        for (Segment s : log.segments.values()) {
            if (prev != null && s.firstSeq != prev.lastSeq + 1 && s.firstSeq > log.lowWatermark) {
                throw new IllegalStateException("log of collection " + log.id + " has a gap: seqs "
                        + (prev.lastSeq + 1) + "-" + (s.firstSeq - 1) + " are in no segment");
            }
            prev = s;
        }
    }

    private void finish(CollectionLog log) {
        long last = log.segments.isEmpty() ? 0 : log.segments.lastEntry().getValue().lastSeq;
        log.nextSeq = Math.max(last + 1, log.lowWatermark);
        log.durableSeq = log.nextSeq - 1;
        for (Segment s : log.segments.values()) {
            index.putSegment(log.id, s, false);
        }
    }

    /** A new node on an existing bucket: every collection's synced log, as the store lists it. */
    private Map<String, CollectionLog> fromStore() {
        Map<String, List<LogSegment>> listed = new HashMap<>();
        for (ObjectMeta m : listSegments()) {
            ObjectLayout.parseLogSegment(m.key()).ifPresent(k -> listed.computeIfAbsent(k.collection(), c -> new ArrayList<>()).add(k));
        }
        Map<String, CollectionLog> logs = new HashMap<>();
        listed.forEach((collection, all) -> {
            TreeMap<Long, LogSegment> keys = fences.chain(collection, all);
            if (keys.isEmpty()) {
                return;
            }
            CollectionLog log = new CollectionLog(collection, walDir.resolve(collection));
            List<LogSegment> run = lastContiguousRun(keys);
            for (LogSegment k : run) {
                Segment seg = new Segment(k.firstSeq(), null);
                seg.lastSeq = k.lastSeq();
                seg.sealed = true;
                seg.uploaded = true;
                seg.epoch = k.epoch();
                log.segments.put(k.firstSeq(), seg);
            }
            log.lowWatermark = run.getFirst().firstSeq();
            index.putLowWatermark(collection, log.lowWatermark);
            finish(log);
            logs.put(collection, log);
            LOG.info("recovered the log of collection {} from the object store: seqs {}-{}",
                    collection, log.lowWatermark, log.durableSeq);
        });
        return logs;
    }

    /** The sealed segments in the object store: of the given collections (listed in parallel), or of all. */
    private List<ObjectMeta> listSegments() {
        if (storeLogs == null) {
            return store.list(ObjectLayout.COLLECTIONS);
        }
        try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<ObjectMeta>>> listings = storeLogs.stream()
                    .map(c -> io.submit(() -> store.list(ObjectLayout.logFolder(c)))).toList();
            List<ObjectMeta> out = new ArrayList<>();
            for (Future<List<ObjectMeta>> f : listings) {
                out.addAll(Futures.await(f, "listing the log segments"));
            }
            return out;
        }
    }

    /**
     * The segments after the last gap. GC deletes segments below a collection's cursor, possibly not in
     * order, so older segments separated by a gap are already truncated.
     */
    private static List<LogSegment> lastContiguousRun(TreeMap<Long, LogSegment> keys) {
        List<LogSegment> run = new ArrayList<>();
        for (LogSegment k : keys.values()) {
            if (!run.isEmpty() && k.firstSeq() != run.getLast().lastSeq() + 1) {
                if (k.firstSeq() <= run.getLast().lastSeq()) {
                    LOG.warn("ignoring overlapping log object {}", k.key());
                    continue;
                }
                LOG.warn("log of collection {} has no object for seqs {}-{}; treating what precedes as truncated",
                        k.collection(), run.getLast().lastSeq() + 1, k.firstSeq() - 1);
                run.clear();
            }
            run.add(k);
        }
        return run;
    }
}
