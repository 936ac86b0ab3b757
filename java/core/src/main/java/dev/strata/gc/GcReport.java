package dev.strata.gc;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The outcome of one garbage collection run over every collection. In a dry run nothing was deleted and the
 * report is the plan: the keys that would be deleted, per reason.
 */
public record GcReport(boolean dryRun, Instant startedAt, Instant finishedAt, List<CollectionGc> collections) {

    public GcReport {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        collections = List.copyOf(collections);
    }

    public Optional<CollectionGc> collection(UUID id) {
        return collections.stream().filter(c -> c.collection().equals(id)).findFirst();
    }

    public int objectsDeleted() {
        return collections.stream().mapToInt(CollectionGc::deletedCount).sum();
    }

    public long bytesDeleted() {
        return collections.stream().mapToLong(CollectionGc::deletedBytes).sum();
    }

    /** Every key deleted for {@code reason}, over all collections. */
    public List<String> keys(GcReason reason) {
        return collections.stream().flatMap(c -> c.keys(reason).stream()).toList();
    }

    /** Every key deleted, over all collections and reasons. */
    public List<String> allKeys() {
        return collections.stream().flatMap(c -> c.allKeys().stream()).toList();
    }

    public Map<GcReason, Integer> countsByReason() {
        Map<GcReason, Integer> counts = new EnumMap<>(GcReason.class);
        for (GcReason reason : GcReason.values()) {
            counts.put(reason, keys(reason).size());
        }
        return counts;
    }

    /** The collections skipped or stopped part-way, with why. */
    public List<CollectionGc> failures() {
        return collections.stream().filter(c -> c.error() != null).toList();
    }

    /** A human-readable summary followed by every key, grouped by collection and reason (the CLI prints it). */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(dryRun ? "gc dry run: would delete " : "gc: deleted ").append(objectsDeleted())
                .append(" objects, ").append(bytesDeleted()).append(" bytes, in ")
                .append(Duration.between(startedAt, finishedAt).toMillis()).append(" ms\n");
        for (CollectionGc c : collections) {
            out.append("collection ").append(c.collection()).append(c.dropped() ? " (dropped)" : "");
            if (!c.dropped()) {
                out.append(": keeps versions ").append(c.keptVersions());
            }
            if (!c.forgottenVersions().isEmpty()) {
                out.append(", forgets versions ").append(c.forgottenVersions());
            }
            if (c.protectedUnreferenced() > 0) {
                out.append(", ").append(c.protectedUnreferenced()).append(" unreferenced objects too fresh to delete");
            }
            out.append('\n');
            if (c.error() != null) {
                out.append("  error: ").append(c.error()).append('\n');
            }
            for (GcReason reason : GcReason.values()) {
                for (GcObject o : c.deletions().getOrDefault(reason, List.of())) {
                    out.append("  ").append(reason.name().toLowerCase()).append(' ').append(o.key())
                            .append(" (").append(o.bytes()).append(" bytes)\n");
                }
            }
        }
        return out.toString();
    }
}
