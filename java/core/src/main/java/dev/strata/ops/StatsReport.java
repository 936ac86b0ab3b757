package dev.strata.ops;

import java.util.List;
import java.util.Map;

/**
 * The bucket at one catalog generation.
 *
 * @param generation         catalog manifest generation
 * @param collections        live collections, in creation order
 * @param droppedCollections deleted collections whose files GC has not confirmed gone
 * @param bytesByKind        bytes of the whole bucket by {@link ObjectKind#label()}
 * @param objectsByKind      objects of the whole bucket by {@link ObjectKind#label()}
 */
public record StatsReport(long generation, List<CollectionStats> collections, int droppedCollections,
                          Map<String, Long> bytesByKind, Map<String, Long> objectsByKind) {

    public StatsReport {
        collections = List.copyOf(collections);
        bytesByKind = ByKind.copy(bytesByKind);
        objectsByKind = ByKind.copy(objectsByKind);
    }

    public long totalBytes() {
        return bytesByKind.values().stream().mapToLong(Long::longValue).sum();
    }
}
