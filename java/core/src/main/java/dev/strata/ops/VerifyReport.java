package dev.strata.ops;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a verification walked and found.
 *
 * @param generation     the catalog manifest generation verified (0 when the manifest itself was unreadable)
 * @param collections    live collections walked
 * @param versions       kept versions walked
 * @param objectsChecked objects read and checked (manifests, roots, blocks, index files, log segments)
 * @param bytesChecked   their total size
 * @param problems       errors and warnings, sorted by key
 */
public record VerifyReport(long generation, int collections, int versions, long objectsChecked, long bytesChecked,
                           List<Problem> problems) {

    public VerifyReport {
        problems = List.copyOf(problems);
    }

    /** True when no error was found (warnings such as orphans allowed). */
    public boolean ok() {
        return errors().isEmpty();
    }

    public List<Problem> errors() {
        return problems.stream().filter(p -> p.kind().isError()).toList();
    }

    public List<Problem> warnings() {
        return problems.stream().filter(p -> !p.kind().isError()).toList();
    }

    /** Number of problems of each kind (every kind present, zero when none). */
    public Map<Problem.Kind, Long> countsByKind() {
        Map<Problem.Kind, Long> counts = new EnumMap<>(Problem.Kind.class);
        for (Problem.Kind k : Problem.Kind.values()) {
            counts.put(k, 0L);
        }
        problems.forEach(p -> counts.merge(p.kind(), 1L, Long::sum));
        return counts;
    }
}
