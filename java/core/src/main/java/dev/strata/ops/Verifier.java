package dev.strata.ops;

import dev.strata.blockfile.BlockfileReader;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.DroppedCollection;
import dev.strata.catalog.VersionInfo;
import dev.strata.segment.VersionManifest;
import dev.strata.storage.BlockCache;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectLayout.LogSegment;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectNotFoundException;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStoreException;
import dev.strata.storage.UnsupportedFormatVersionException;
import dev.strata.wal.LogFence;
import dev.strata.wal.LogFences;
import dev.strata.wal.SegmentObjects;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Walks everything reachable from the catalog manifest and checks it: every live collection's kept
 * versions, each version manifest (checksum, and that its collection, version and cursor agree with
 * its key and the catalog), each blockfile root and every block it names (checksum, Arrow decode, the
 * CRC the root recorded), each index file (checksum and dimension), and every sealed log segment
 * (frame checksums; above the current version's log cursor no hole in the seqs and no seq in two segments). Objects under
 * {@code c/} that nothing names are reported as orphans (a warning: GC deletes them after its grace
 * period, and a compaction in flight writes files before the manifest that names them).
 *
 * <p>Read-only; safe on a live bucket, where a version GC deletes during the walk can show up as
 * missing: run it again to confirm.
 */
public final class Verifier {

    private static final long CACHE_BYTES = 64L << 20;

    private final ObjectStore store;
    private final int concurrency;

    public Verifier(ObjectStore store) {
        this(store, 16);
    }

    /** @param concurrency objects read at the same time */
    public Verifier(ObjectStore store, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        }
        this.store = store;
        this.concurrency = concurrency;
    }

    public VerifyReport verify() {
        try (BlockCache cache = new BlockCache(store, CACHE_BYTES)) {
            return new Walk(cache).run();
        }
    }

    private record VersionTask(CollectionRecord collection, VersionInfo version) {}

    private record BlockTask(BlockfileReader<?> reader, int index, String key) {}

    /** The state of one verification. */
    private final class Walk {
        private final BlockCache cache;
        private final ConcurrentLinkedQueue<Problem> problems = new ConcurrentLinkedQueue<>();
        private final LongAdder objects = new LongAdder();
        private final LongAdder bytes = new LongAdder();
        private final Set<String> referenced = ConcurrentHashMap.newKeySet();
        private final Set<String> roots = ConcurrentHashMap.newKeySet();
        private final Map<String, Integer> indexFiles = new ConcurrentHashMap<>();
        private final Set<String> blocksSeen = ConcurrentHashMap.newKeySet();
        /** Collections with a root that could not be read: their blocks may look unnamed. */
        private final Set<String> unreadableRoots = ConcurrentHashMap.newKeySet();
        private final ConcurrentLinkedQueue<BlockTask> blocks = new ConcurrentLinkedQueue<>();
        private Map<String, ObjectMeta> listing;

        Walk(BlockCache cache) {
            this.cache = cache;
        }

        VerifyReport run() {
            byte[] manifest = read(ObjectLayout.CATALOG_MANIFEST, "the catalog manifest");
            if (manifest == null) {
                return report(0, 0, 0);
            }
            CatalogSnapshot snapshot;
            try {
                snapshot = CatalogSnapshot.decode(manifest);
            } catch (CorruptObjectException e) {
                problem(Problem.Kind.CORRUPT, ObjectLayout.CATALOG_MANIFEST, detailOf(e));
                return report(0, 0, 0);
            } catch (UnsupportedFormatVersionException e) {
                problem(Problem.Kind.TOO_NEW, ObjectLayout.CATALOG_MANIFEST, detailOf(e));
                return report(0, 0, 0);
            }
            listing = new LinkedHashMap<>();
            store.list(ObjectLayout.COLLECTIONS).forEach(m -> listing.put(m.key(), m));

            List<VersionTask> versions = new ArrayList<>();
            for (CollectionRecord c : snapshot.collections()) {
                snapshot.keptVersions(c.id()).forEach(v -> versions.add(new VersionTask(c, v)));
            }
            Parallel.forEach(versions, concurrency, "version manifest check", this::checkVersion);
            Parallel.forEach(List.copyOf(roots), concurrency, "blockfile root check", this::checkRoot);
            Parallel.forEach(List.copyOf(blocks), concurrency, "block check", this::checkBlock);
            Parallel.forEach(List.copyOf(indexFiles.entrySet()), concurrency, "index file check",
                    e -> checkIndexFile(e.getKey(), e.getValue()));
            List<LogSegment> segments = new ArrayList<>();
            for (CollectionRecord c : snapshot.collections()) {
                segments.addAll(checkLogContinuity(c, snapshot.logCursor(c), snapshot.logTakeovers()));
            }
            Parallel.forEach(segments, concurrency, "log segment check", this::checkSegment);
            findOrphans(snapshot);
            return report(snapshot.generation(), snapshot.collections().size(), versions.size());
        }

        private VerifyReport report(long generation, int collections, int versions) {
            List<Problem> sorted = new ArrayList<>(problems);
            sorted.sort(Comparator.comparing(Problem::key).thenComparing(Problem::kind));
            return new VerifyReport(generation, collections, versions, objects.sum(), bytes.sum(), sorted);
        }

        private void checkVersion(VersionTask task) {
            CollectionRecord c = task.collection();
            VersionInfo v = task.version();
            String key = v.key();
            referenced.add(key);
            byte[] data = read(key, "version " + v.version() + " of collection " + describe(c));
            if (data == null) {
                return;
            }
            VersionManifest m;
            try {
                m = VersionManifest.decode(key, data);
            } catch (CorruptObjectException e) {
                problem(Problem.Kind.CORRUPT, key, detailOf(e));
                return;
            } catch (UnsupportedFormatVersionException e) {
                problem(Problem.Kind.TOO_NEW, key, detailOf(e));
                return;
            }
            Optional<ObjectLayout.VersionManifestKey> k = ObjectLayout.parseVersionManifest(key);
            if (k.isEmpty()) {
                problem(Problem.Kind.MISMATCH, key, "the catalog names this as version " + v.version() + " of "
                        + describe(c) + " but it is not a version manifest key (c/{collection}/v/{version}.json)");
            } else if (!k.get().collection().equals(m.collection().toString()) || k.get().version() != m.version()) {
                problem(Problem.Kind.MISMATCH, key, "manifest says collection " + m.collection() + " version "
                        + m.version() + ", its key says collection " + k.get().collection() + " version " + k.get().version());
            }
            if (!m.collection().equals(c.id()) || m.version() != v.version()) {
                problem(Problem.Kind.MISMATCH, key, "manifest says collection " + m.collection() + " version "
                        + m.version() + ", the catalog lists it as version " + v.version() + " of " + describe(c));
            } else if (m.logCursor() != v.logCursor()) {
                problem(Problem.Kind.MISMATCH, key, "manifest log cursor " + m.logCursor()
                        + " differs from the catalog's " + v.logCursor());
            }
            roots.addAll(m.roots().values());
            m.indexFiles().forEach(f -> indexFiles.putIfAbsent(f, m.dimension() == null ? 0 : m.dimension()));
        }

        private void checkRoot(String rootKey) {
            referenced.add(rootKey);
            BlockfileReader<?> reader;
            try {
                reader = BlockfileReader.open(cache, rootKey);
            } catch (ObjectNotFoundException e) {
                problem(Problem.Kind.MISSING, rootKey, "blockfile root named by a version manifest is absent");
                ObjectLayout.collectionOf(rootKey).ifPresent(unreadableRoots::add);
                return;
            } catch (CorruptObjectException e) {
                problem(Problem.Kind.CORRUPT, rootKey, detailOf(e));
                ObjectLayout.collectionOf(rootKey).ifPresent(unreadableRoots::add);
                return;
            } catch (UnsupportedFormatVersionException e) {
                problem(Problem.Kind.TOO_NEW, rootKey, detailOf(e));
                ObjectLayout.collectionOf(rootKey).ifPresent(unreadableRoots::add);
                return;
            } catch (IllegalArgumentException e) {
                problem(Problem.Kind.CORRUPT, rootKey, e.getMessage());
                return;
            }
            counted(rootKey, 0);
            List<String> keys = reader.blockKeys();
            for (int i = 0; i < keys.size(); i++) {
                String blockKey = keys.get(i);
                referenced.add(blockKey);
                if (blocksSeen.add(blockKey)) {
                    blocks.add(new BlockTask(reader, i, blockKey));
                }
            }
        }

        private void checkBlock(BlockTask task) {
            try {
                task.reader().block(task.index()).release();
                counted(task.key(), 0);
            } catch (ObjectNotFoundException e) {
                problem(Problem.Kind.MISSING, task.key(), "block named by root " + task.reader().rootKey() + " is absent");
            } catch (CorruptObjectException e) {
                problem(Problem.Kind.CORRUPT, task.key(), detailOf(e));
            } catch (UnsupportedFormatVersionException e) {
                problem(Problem.Kind.TOO_NEW, task.key(), detailOf(e));
            } finally {
                cache.invalidate(task.key()); // verified once; keep the walk's memory flat
            }
        }

        private void checkIndexFile(String key, int dimension) {
            referenced.add(key);
            Optional<ObjectMeta> meta = Optional.ofNullable(listing.get(key)).or(() -> store.head(key));
            if (meta.isEmpty()) {
                problem(Problem.Kind.MISSING, key, "index file named by a version manifest is absent");
                return;
            }
            try {
                IndexFiles.check(store, key, meta.get().size(), dimension == 0 ? null : dimension,
                        IndexFiles.DEFAULT_CHUNK_BYTES).ifPresent(problems::add);
                counted(key, meta.get().size());
            } catch (ObjectNotFoundException e) {
                problem(Problem.Kind.MISSING, key, "index file named by a version manifest is absent");
            }
        }

        /**
         * The collection's sealed segments, after reporting what a reader of the log above the current version's log cursor
         * would trip on: a hole in the seqs (records compaction still needs but no segment object holds), and two
         * segments holding the same seqs (two writers logged them, e.g. a fenced node's late upload: a node
         * recovering from the bucket keeps one and may lose the other's records). Below the cursor both are
         * legal: GC deletes segments there in any order, and nothing reads them.
         */
        private List<LogSegment> checkLogContinuity(CollectionRecord c, long cursor,
                Map<String, List<dev.strata.catalog.LogTakeover>> takeovers) {
            String prefix = ObjectLayout.logFolder(c.id().toString());
            List<LogSegment> listed = listing.keySet().stream()
                    .filter(k -> k.startsWith(prefix))
                    .map(ObjectLayout::parseLogSegment).flatMap(Optional::stream)
                    .toList();
            // Segments the catalog's takeovers fence off are a zombie writer's, ignored by every reader: not overlaps.
            LogFences fences = LogFences.of(l -> takeovers.getOrDefault(l, List.of()).stream()
                    .map(t -> new LogFence(t.epoch(), t.fromSeq())).toList());
            List<LogSegment> segments = new ArrayList<>();
            for (LogSegment k : listed) {
                if (fences.admits(k)) {
                    segments.add(k);
                } else if (k.lastSeq() > cursor) {
                    problem(Problem.Kind.FENCED, k.key(), "put by writer epoch " + k.epoch() + " after a newer epoch"
                            + " took the log of " + describe(c) + " over: ignored by readers");
                }
            }
            segments.sort(Comparator.comparingLong(LogSegment::firstSeq).thenComparingLong(LogSegment::lastSeq)
                    .thenComparing(Comparator.comparingLong(LogSegment::epoch).reversed()));
            long expected = cursor + 1;
            LogSegment reaching = null; // of the segments so far, the one holding the highest seq
            for (LogSegment s : segments) {
                if (s.lastSeq() <= cursor) {
                    continue;
                }
                if (reaching != null && s.firstSeq() <= reaching.lastSeq()) {
                    problem(Problem.Kind.OVERLAP, s.key(), "holds seqs " + Math.max(s.firstSeq(), cursor + 1) + ".."
                            + Math.min(s.lastSeq(), reaching.lastSeq()) + " of " + describe(c) + " that log segment "
                            + reaching.key() + " holds too (above the current cursor " + cursor + ")");
                } else if (s.firstSeq() > expected) {
                    problem(Problem.Kind.MISSING, s.key(), "log records " + expected + ".." + (s.firstSeq() - 1)
                            + " of " + describe(c) + " are above the current cursor " + cursor
                            + " but in no sealed segment object" + (reaching == null ? "" : " (after " + reaching.key() + ")"));
                }
                if (reaching == null || s.lastSeq() > reaching.lastSeq()) {
                    reaching = s;
                }
                expected = Math.max(expected, s.lastSeq() + 1);
            }
            return segments;
        }

        private void checkSegment(LogSegment segment) {
            String key = segment.key();
            byte[] data = read(key, "listed log segment");
            if (data == null) {
                return;
            }
            try {
                SegmentObjects.verify(key, data);
            } catch (CorruptObjectException e) {
                problem(Problem.Kind.CORRUPT, key, detailOf(e));
            } catch (UnsupportedFormatVersionException e) {
                problem(Problem.Kind.TOO_NEW, key, detailOf(e));
            }
        }

        private void findOrphans(CatalogSnapshot snapshot) {
            Set<String> live = new HashSet<>();
            snapshot.collections().forEach(c -> live.add(c.id().toString()));
            Set<String> dropped = new HashSet<>();
            for (DroppedCollection d : snapshot.dropped()) {
                dropped.add(d.collection().id().toString());
            }
            for (String key : listing.keySet()) {
                String collection = ObjectLayout.collectionOf(key).orElse("");
                if (dropped.contains(collection)) {
                    continue; // the whole folder is GC's to delete
                }
                ObjectKind kind = ObjectKind.of(key);
                if (!live.contains(collection)) {
                    problem(Problem.Kind.ORPHAN, key, "collection " + collection + " is not in the catalog");
                } else if (kind == ObjectKind.LOG) {
                    if (ObjectLayout.parseLogSegment(key).isEmpty()) {
                        problem(Problem.Kind.ORPHAN, key, "not a log segment key");
                    }
                } else if (!referenced.contains(key)) {
                    problem(Problem.Kind.ORPHAN, key, kind == ObjectKind.OTHER ? "not part of the collection layout"
                            : kind == ObjectKind.BLOCK && unreadableRoots.contains(collection)
                            ? "named by no readable root (a root of this collection is missing or corrupt)"
                            : "named by no kept version");
                }
            }
        }

        /** The object's bytes, counted as checked; null (and a MISSING problem) when it is absent. */
        private byte[] read(String key, String what) {
            try {
                byte[] data = store.get(key);
                counted(key, data.length);
                return data;
            } catch (ObjectNotFoundException e) {
                problem(Problem.Kind.MISSING, key, what + " is absent");
                return null;
            }
        }

        private void counted(String key, long knownSize) {
            objects.increment();
            ObjectMeta meta = listing == null ? null : listing.get(key);
            bytes.add(knownSize > 0 || meta == null ? knownSize : meta.size());
        }

        private void problem(Problem.Kind kind, String key, String detail) {
            problems.add(new Problem(kind, key, detail));
        }
    }

    /** The exception's message without the key, which the problem carries already. */
    static String detailOf(ObjectStoreException e) {
        String m = e.getMessage();
        String suffix = " (key " + e.key() + ")";
        return m.endsWith(suffix) ? m.substring(0, m.length() - suffix.length()) : m;
    }

    static String describe(CollectionRecord c) {
        return c.tenant() + "/" + c.database() + "/" + c.name() + " (" + c.id() + ")";
    }
}
