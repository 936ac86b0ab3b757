package dev.strata.gc;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What one garbage collection run did (or, in a dry run, would do) to one collection.
 *
 * @param dropped           the collection was deleted and this run removed (or would remove) all its objects
 * @param keptVersions      the versions kept, ascending (empty for a dropped collection)
 * @param forgottenVersions versions removed from the catalog's history, ascending
 * @param deletions         the objects deleted, per reason
 * @param protectedUnreferenced unreferenced objects left alone because they are younger than the grace period or
 *                              than the current version (they may be files of a compaction in flight)
 * @param error             why this collection was skipped or stopped part-way, null when it was not
 */
public record CollectionGc(UUID collection, boolean dropped, List<Long> keptVersions, List<Long> forgottenVersions,
                           Map<GcReason, List<GcObject>> deletions, int protectedUnreferenced, String error) {

    public CollectionGc {
        Objects.requireNonNull(collection, "collection");
        keptVersions = List.copyOf(keptVersions);
        forgottenVersions = List.copyOf(forgottenVersions);
        EnumMap<GcReason, List<GcObject>> copy = new EnumMap<>(GcReason.class);
        deletions.forEach((reason, objects) -> {
            if (!objects.isEmpty()) {
                copy.put(reason, List.copyOf(objects));
            }
        });
        deletions = Map.copyOf(copy);
    }

    static CollectionGc failed(UUID collection, boolean dropped, String error) {
        return new CollectionGc(collection, dropped, List.of(), List.of(), Map.of(), 0, error);
    }

    /** The keys deleted for {@code reason}, in listing order. */
    public List<String> keys(GcReason reason) {
        return deletions.getOrDefault(reason, List.of()).stream().map(GcObject::key).toList();
    }

    /** Every key deleted, whatever the reason. */
    public List<String> allKeys() {
        List<String> keys = new ArrayList<>();
        for (GcReason reason : GcReason.values()) {
            keys.addAll(keys(reason));
        }
        return keys;
    }

    public int deletedCount() {
        return deletions.values().stream().mapToInt(List::size).sum();
    }

    public long deletedBytes() {
        return deletions.values().stream().flatMap(List::stream).mapToLong(GcObject::bytes).sum();
    }
}
