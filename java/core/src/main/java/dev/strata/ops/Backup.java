package dev.strata.ops;

import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectStore;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Copies one consistent generation of a bucket to another store: reads the catalog manifest once,
 * copies every object its kept versions need (blocks, roots, index files and the sealed log above the
 * current version's log cursor first, then the version manifests that name them), and writes the catalog
 * manifest last, so a target without a manifest is visibly an unfinished copy. Incremental: an object
 * the target already holds with the same size is skipped (objects other than the catalog manifest are
 * immutable). Restore is the same copy from a backup into an empty store.
 */
public final class Backup {

    private final ObjectStore source;
    private final ObjectStore target;
    private final int concurrency;
    private final ObjectCopier copier;

    public Backup(ObjectStore source, ObjectStore target) {
        this(source, target, 16);
    }

    /** @param concurrency objects copied at the same time */
    public Backup(ObjectStore source, ObjectStore target, int concurrency) {
        this(source, target, concurrency, ObjectCopier.DEFAULT_IN_MEMORY_BYTES, ObjectCopier.DEFAULT_RANGE_BYTES);
    }

    /** @param inMemoryBytes objects larger than this are staged in a temporary file, read in ranges of {@code rangeBytes} */
    Backup(ObjectStore source, ObjectStore target, int concurrency, long inMemoryBytes, int rangeBytes) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        }
        this.source = source;
        this.target = target;
        this.concurrency = concurrency;
        this.copier = new ObjectCopier(source, target, inMemoryBytes, rangeBytes);
    }

    /**
     * Copies the source's current generation into the target.
     *
     * @throws dev.strata.storage.ObjectNotFoundException when the source has no manifest, or lacks an object a kept version names
     * @throws dev.strata.storage.CorruptObjectException  when a manifest or root of the source fails its checksum
     */
    public CopyReport run() {
        CatalogSnapshot snapshot = CatalogSnapshot.read(source);
        VersionSet set = VersionSet.collect(source, snapshot, concurrency);
        Map<String, Long> present = VersionSet.sizesUnder(target, ObjectLayout.COLLECTIONS);
        LongAdder copied = new LongAdder();
        LongAdder bytes = new LongAdder();
        LongAdder skipped = new LongAdder();
        for (Map<String, Long> phase : List.of(set.data, set.versionManifests)) {
            Parallel.forEach(phase.entrySet(), concurrency, "copy to " + target.describe(), e -> {
                if (e.getValue().equals(present.get(e.getKey()))) {
                    skipped.increment();
                    return;
                }
                bytes.add(copier.copy(e.getKey(), e.getValue()));
                copied.increment();
            });
        }
        byte[] manifest = snapshot.manifestBytes();
        boolean catalogCopied = !sameBytes(ObjectLayout.CATALOG_MANIFEST, manifest);
        if (catalogCopied) {
            target.put(ObjectLayout.CATALOG_MANIFEST, manifest);
            copied.increment();
            bytes.add(manifest.length);
        } else {
            skipped.increment();
        }
        return new CopyReport(snapshot.generation(), snapshot.collections().size(), set.versions, copied.sum(),
                bytes.sum(), skipped.sum(), catalogCopied);
    }

    /**
     * Restores a backup into {@code node}'s store: the same copy, refused with
     * {@link TargetNotEmptyException} when the store already holds any object, unless {@code force}.
     */
    public static CopyReport restore(ObjectStore backup, ObjectStore node, boolean force) {
        if (!force && !node.list("").isEmpty()) {
            throw new TargetNotEmptyException(node.describe());
        }
        return new Backup(backup, node).run();
    }

    private boolean sameBytes(String key, byte[] data) {
        return target.head(key).filter(m -> m.size() == data.length).isPresent()
                && Arrays.equals(target.get(key), data);
    }
}
