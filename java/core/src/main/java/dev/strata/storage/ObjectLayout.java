package dev.strata.storage;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bucket's layout (DESIGN.md §2, "where bytes live"): the one class that builds every object key and
 * parses keys back into what they name, so a layout change touches this class alone. Every key is
 * relative to the store's prefix:
 *
 * <pre>
 * catalog/manifest.json                         the catalog manifest
 * lease.json, lease-standby.json                the writer lease and the standby's beacon
 * status/compaction-failures.json               collections whose compaction keeps failing
 * c/{collection}/v/{version, 20 digits}.json    a version manifest
 * c/{collection}/b/{id}, c/{collection}/r/{id}  a blockfile's blocks and its root (any folder may hold blockfiles)
 * c/{collection}/i/{id}/hnsw.bin                an HNSW index file
 * c/{collection}/log/{first}-{last}[.e{epoch}].wal   a sealed log segment (20-digit seqs)
 * </pre>
 *
 * <p>Zero-padded numbers make a listing sort by version or seq. Keys must stay byte-identical across
 * releases: existing buckets are read with these same methods.
 */
public final class ObjectLayout {

    /** The catalog manifest. */
    public static final String CATALOG_MANIFEST = "catalog/manifest.json";
    /** The single-writer lease. */
    public static final String LEASE = "lease.json";
    /** The beacon a standby writes while it watches the lease. */
    public static final String STANDBY_BEACON = "lease-standby.json";
    /** The collections whose compaction keeps failing, for {@code strata stats}. */
    public static final String COMPACTION_FAILURES = "status/compaction-failures.json";
    /** The prefix of every collection's folder. */
    public static final String COLLECTIONS = "c/";

    private static final String BLOCKS = "b/";
    private static final String ROOTS = "r/";
    private static final String HNSW_FILE = "hnsw.bin";

    private static final Pattern COLLECTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern VERSION_KEY = Pattern.compile("c/([^/]+)/v/(\\d{20})\\.json");
    private static final Pattern LOG_KEY = Pattern.compile("c/([^/]+)/log/(\\d{20})-(\\d{20})(?:\\.e(\\d{1,18}))?\\.wal");
    private static final Pattern BLOCKFILE_KEY = Pattern.compile("c/([^/]+)/([br])/([^/]+)");
    private static final Pattern INDEX_KEY = Pattern.compile("c/([^/]+)/i/([^/]+)/([^/]+)");

    private ObjectLayout() {}

    /** What a key names, parsed back by {@link #parse}: each kind builds its own key with {@link #key()}. */
    public sealed interface ObjectKey permits FixedKey, VersionManifestKey, BlockKey, RootKey, IndexFileKey, LogSegment {
        String key();
    }

    /** One of the fixed keys outside the collection folders. */
    public enum FixedKey implements ObjectKey {
        CATALOG(CATALOG_MANIFEST), WRITER_LEASE(LEASE), STANDBY(STANDBY_BEACON), COMPACTION_STATUS(COMPACTION_FAILURES);

        private final String key;

        FixedKey(String key) {
            this.key = key;
        }

        @Override
        public String key() {
            return key;
        }
    }

    /** Version {@code version} of a collection's manifest. */
    public record VersionManifestKey(String collection, long version) implements ObjectKey {
        public VersionManifestKey {
            requireValidCollection(collection);
            if (version < 0) {
                throw new IllegalArgumentException("a version is >= 0, got " + version);
            }
        }

        @Override
        public String key() {
            return collectionFolder(collection) + "v/" + String.format("%020d", version) + ".json";
        }
    }

    /** A block of a blockfile in a collection's folder. */
    public record BlockKey(String collection, String blockId) implements ObjectKey {
        public BlockKey {
            requireValidCollection(collection);
            requireName(blockId, "block id");
        }

        @Override
        public String key() {
            return block(collectionFolder(collection), blockId);
        }
    }

    /** A blockfile root in a collection's folder. */
    public record RootKey(String collection, String rootId) implements ObjectKey {
        public RootKey {
            requireValidCollection(collection);
            requireName(rootId, "root id");
        }

        @Override
        public String key() {
            return root(collectionFolder(collection), rootId);
        }
    }

    /** A vector index file {@code name} of index {@code indexId} ({@code hnsw.bin} for an HNSW graph). */
    public record IndexFileKey(String collection, String indexId, String name) implements ObjectKey {
        public IndexFileKey {
            requireValidCollection(collection);
            requireName(indexId, "index id");
            requireName(name, "index file name");
        }

        /** Whether this names an HNSW graph, which must hold the native library's HNSW format. */
        public boolean isHnsw() {
            return name.equals(HNSW_FILE);
        }

        @Override
        public String key() {
            return collectionFolder(collection) + "i/" + indexId + "/" + name;
        }
    }

    /**
     * A sealed log segment, {@code c/{collection}/log/{first}-{last}.e{epoch}.wal}, with 20-digit zero-padded
     * sequence numbers so that a listing sorts by seq. GC parses these keys to find segments wholly below a
     * collection's log cursor.
     *
     * <p>The epoch is the writer epoch (the lease's) of the node that uploaded the segment: a fenced writer that
     * keeps running uploads under its old epoch, and readers drop such segments past the point where a newer
     * epoch took the log over. Epoch 0 is a segment uploaded before keys carried an epoch
     * ({@code {first}-{last}.wal}).
     */
    public record LogSegment(String collection, long firstSeq, long lastSeq, long epoch) implements ObjectKey {
        public LogSegment {
            requireValidCollection(collection);
            if (firstSeq < 1 || lastSeq < firstSeq) {
                throw new IllegalArgumentException("segment seq range must be 1 <= first <= last, got " + firstSeq + "-" + lastSeq);
            }
            if (epoch < 0) {
                throw new IllegalArgumentException("segment epoch must be >= 0, got " + epoch);
            }
        }

        /** A segment key without a writer epoch (epoch 0, the key format before epochs). */
        public LogSegment(String collection, long firstSeq, long lastSeq) {
            this(collection, firstSeq, lastSeq, 0);
        }

        @Override
        public String key() {
            return logFolder(collection) + (epoch == 0 ? String.format("%020d-%020d.wal", firstSeq, lastSeq)
                    : String.format("%020d-%020d.e%d.wal", firstSeq, lastSeq, epoch));
        }
    }

    /** The sub-folders of a collection's folder, by the name of the folder alone. */
    public enum CollectionFolder {
        BLOCKS("b"), ROOTS("r"), INDEX_FILES("i"), LOG("log"), VERSIONS("v");

        private final String name;

        CollectionFolder(String name) {
            this.name = name;
        }
    }

    // ---- building ----

    /** The folder of a collection: {@code c/{collection}/}. */
    public static String collectionFolder(String collection) {
        return COLLECTIONS + collection + "/";
    }

    /** The folder of a collection: {@code c/{collection}/}. */
    public static String collectionFolder(UUID collection) {
        return collectionFolder(collection.toString());
    }

    /** The key of version {@code version} of a collection's manifest. */
    public static String versionManifest(UUID collection, long version) {
        return new VersionManifestKey(collection.toString(), version).key();
    }

    /** The key of a new HNSW index file of a collection. */
    public static String hnswFile(String collection, String indexId) {
        return new IndexFileKey(collection, indexId, HNSW_FILE).key();
    }

    /** The folder under which every sealed log segment of {@code collection} is stored. */
    public static String logFolder(String collection) {
        return collectionFolder(collection) + "log/";
    }

    /** Returns a blockfile folder ("" or ending in '/') when valid. */
    public static String checkBlockfileFolder(String folder) {
        if (folder == null || !(folder.isEmpty() || folder.endsWith("/"))) {
            throw new IllegalArgumentException("a blockfile key prefix is empty or ends with '/', got " + folder);
        }
        return folder;
    }

    /** The key of block {@code blockId} of a blockfile in {@code folder} ("" or ending in '/'). */
    public static String block(String folder, String blockId) {
        return folder + BLOCKS + blockId;
    }

    /** The key of root {@code rootId} of a blockfile in {@code folder} ("" or ending in '/'). */
    public static String root(String folder, String rootId) {
        return folder + ROOTS + rootId;
    }

    // ---- parsing ----

    /** What {@code key} names, or empty when it is not a key of this layout. */
    public static Optional<ObjectKey> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        for (FixedKey s : FixedKey.values()) {
            if (s.key.equals(key)) {
                return Optional.of(s);
            }
        }
        Optional<ObjectKey> found = parseVersionManifest(key).map(ObjectKey.class::cast)
                .or(() -> parseLogSegment(key));
        if (found.isPresent()) {
            return found;
        }
        Matcher b = BLOCKFILE_KEY.matcher(key);
        if (b.matches() && isCollection(b.group(1)) && isName(b.group(3))) {
            return Optional.of(b.group(2).equals("b") ? new BlockKey(b.group(1), b.group(3)) : new RootKey(b.group(1), b.group(3)));
        }
        Matcher i = INDEX_KEY.matcher(key);
        if (i.matches() && isCollection(i.group(1)) && isName(i.group(2)) && isName(i.group(3))) {
            return Optional.of(new IndexFileKey(i.group(1), i.group(2), i.group(3)));
        }
        return Optional.empty();
    }

    /** The version manifest a key names, or empty when the key is not a version manifest key. */
    public static Optional<VersionManifestKey> parseVersionManifest(String key) {
        Matcher m = VERSION_KEY.matcher(key);
        if (!m.matches() || !isCollection(m.group(1))) {
            return Optional.empty();
        }
        return Optional.of(new VersionManifestKey(m.group(1), Long.parseLong(m.group(2))));
    }

    /** The segment a key names, or empty when the key is not a log segment key. */
    public static Optional<LogSegment> parseLogSegment(String key) {
        Matcher m = LOG_KEY.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        long first = Long.parseLong(m.group(2));
        long last = Long.parseLong(m.group(3));
        long epoch = m.group(4) == null ? 0 : Long.parseLong(m.group(4));
        if (first < 1 || last < first || !isCollection(m.group(1))
                || (m.group(4) != null && (epoch == 0 || m.group(4).startsWith("0")))) {
            return Optional.empty();
        }
        return Optional.of(new LogSegment(m.group(1), first, last, epoch));
    }

    /** The index file a key names, or empty when the key is not an index file key. */
    public static Optional<IndexFileKey> parseIndexFile(String key) {
        return parse(key).filter(IndexFileKey.class::isInstance).map(IndexFileKey.class::cast);
    }

    /** The blockfile folder a root key was written in: {@code c/x/} for {@code c/x/r/{id}}. */
    public static String blockfileFolderOfRoot(String rootKey) {
        int slash = rootKey == null ? -1 : rootKey.lastIndexOf('/');
        if (slash < 1 || slash == rootKey.length() - 1 || !rootKey.startsWith(ROOTS, slash - 1)
                || (slash >= 2 && rootKey.charAt(slash - 2) != '/')) {
            throw new IllegalArgumentException("not a blockfile root key ({prefix}r/{id}): " + rootKey);
        }
        return rootKey.substring(0, slash - 1);
    }

    /** The collection whose folder a key lives in ({@code c/{id}/...} gives {@code id}), if any. */
    public static Optional<String> collectionOf(String key) {
        if (!key.startsWith(COLLECTIONS)) {
            return Optional.empty();
        }
        int slash = key.indexOf('/', COLLECTIONS.length());
        return slash > COLLECTIONS.length() ? Optional.of(key.substring(COLLECTIONS.length(), slash)) : Optional.empty();
    }

    /**
     * The sub-folder of a collection's folder a key lies in, by the folder's name alone
     * ({@code c/{id}/{folder}/...}), whether or not the rest of the key is well-formed.
     */
    public static Optional<CollectionFolder> folderOf(String key) {
        String[] parts = key.split("/", 4);
        if (parts.length < 4 || !parts[0].equals("c")) {
            return Optional.empty();
        }
        for (CollectionFolder f : CollectionFolder.values()) {
            if (f.name.equals(parts[2])) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Collection ids become folder names and key parts: letters, digits, '.', '_', '-', at most 128. */
    public static String requireValidCollection(String collection) {
        if (!isCollection(collection)) {
            throw new IllegalArgumentException("invalid collection id '" + collection
                    + "': use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return collection;
    }

    private static boolean isCollection(String collection) {
        return collection != null && COLLECTION_ID.matcher(collection).matches();
    }

    private static boolean isName(String part) {
        return part != null && !part.isEmpty() && !part.equals(".") && !part.equals("..") && part.indexOf('/') < 0
                && part.indexOf('\\') < 0 && part.chars().noneMatch(Character::isISOControl);
    }

    private static void requireName(String part, String what) {
        if (!isName(part)) {
            throw new IllegalArgumentException("invalid " + what + " '" + part + "': one key segment, not '.' or '..'");
        }
    }
}
