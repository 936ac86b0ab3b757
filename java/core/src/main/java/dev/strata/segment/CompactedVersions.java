package dev.strata.segment;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.strata.storage.BlockCache;
import dev.strata.storage.ObjectLayout;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens compacted versions by manifest key: what the engine's version opener calls for a collection at
 * version >= 1 (version 0 has no manifest: it is the empty version). Shares one block cache, one set of
 * loaded vector indexes and one pin registry among every version it opens.
 */
public final class CompactedVersions {

    private final BlockCache cache;
    private final VectorIndexes indexes;
    private final VersionPins pins;
    private final WarmIndexes warm;
    /** Manifests being read ahead of their version's first open, by key (manifests never change once written). */
    private final Map<String, CompletableFuture<VersionManifest>> readAhead = new ConcurrentHashMap<>();

    /** At most this many manifests are read ahead at once: a node of many collections opens only some soon. */
    static final int MAX_READ_AHEAD = 64;
    /**
     * Manifests this node wrote or read lately, by key. A key's manifest never changes (it is put if absent), and
     * the node that compacted a version is the one that opens it next, twice: to serve it and as the next
     * compaction's base. Without this each compaction of a one-record write cost two GETs of a manifest the node
     * had just written.
     */
    static final int REMEMBERED_MANIFESTS = 256;

    private final Cache<String, VersionManifest> remembered = Caffeine.newBuilder()
            .maximumSize(REMEMBERED_MANIFESTS).build();

    /** Versions answered by their clustered index alone (tools, compaction-only use). */
    public CompactedVersions(BlockCache cache, VectorIndexes indexes, VersionPins pins) {
        this(cache, indexes, pins, null);
    }

    /** {@code warm}: the node's in-memory graphs, offered every version opened (null: none). */
    public CompactedVersions(BlockCache cache, VectorIndexes indexes, VersionPins pins, WarmIndexes warm) {
        this.cache = cache;
        this.indexes = indexes;
        this.pins = pins;
        this.warm = warm;
    }

    /** Reads and checks the manifest at {@code versionKey} (waiting for its read-ahead when one was started). */
    public VersionManifest manifest(String versionKey) {
        CompletableFuture<VersionManifest> ahead = readAhead.remove(versionKey);
        if (ahead != null) {
            try {
                return ahead.join();
            } catch (CompletionException e) {
                // read again below: a failure then is reported by this read, with its own cause
            }
        }
        return read(versionKey);
    }

    private VersionManifest read(String versionKey) {
        return remembered.get(versionKey, key -> VersionManifest.decode(key, cache.store().get(key)));
    }

    /** A manifest this node just put at its key: the next open of that key reads no object. */
    public void remember(VersionManifest written) {
        remembered.put(written.objectKey(), written);
    }

    /**
     * Starts reading these manifests in the background (at most {@link #MAX_READ_AHEAD} pending), so a node
     * opening reads its collections' current manifests alongside its own open and a first query does not
     * wait a round trip for its version's manifest.
     */
    public void readAhead(Collection<String> versionKeys) {
        for (String key : versionKeys) {
            if (readAhead.size() >= MAX_READ_AHEAD) {
                return;
            }
            readAhead.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(() -> read(k), r -> Thread.ofVirtual().start(r)));
        }
    }

    /** Opens (and pins) the version whose manifest is at {@code versionKey}; the caller closes it. */
    public CompactedVersion open(String versionKey) {
        return open(manifest(versionKey));
    }

    public CompactedVersion open(VersionManifest manifest) {
        return CompactedVersion.open(cache, indexes, pins, manifest, warm);
    }

    /** Opens version {@code version} of a collection. */
    public CompactedVersion open(UUID collection, long version) {
        return open(ObjectLayout.versionManifest(collection, version));
    }

    public BlockCache cache() {
        return cache;
    }

    public VectorIndexes indexes() {
        return indexes;
    }

    public VersionPins pins() {
        return pins;
    }
}
