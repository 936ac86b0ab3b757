package dev.strata.reliability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parent's model of the collection: per id, the version of the last acknowledged write that left it present
 * (absent ids have no entry). Fed with a killed child's lines, it keeps the writes each writer had in flight at
 * the kill, and {@link #reconcile} checks what a reopened node holds against it: every acknowledged write is
 * there with its content, and an in-flight batch is there whole or not at all.
 */
final class AckModel {

    private final Map<String, Long> present = new HashMap<>();
    private long ackedWrites;
    private long ackedWritesChecked;
    private long recordsVerified;

    /** What one child run left: the writes in flight at the kill and any problem it reported. */
    record Run(List<ChildLine> inFlight, List<String> problems, boolean ready, int acks) {}

    /** Applies the acknowledged writes of a child run; returns the run's in-flight writes and reported problems. */
    Run ingest(List<ChildLine> lines) {
        Map<Integer, ChildLine> pending = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        boolean ready = false;
        int acks = 0;
        for (ChildLine line : lines) {
            switch (line.kind()) {
                case "READY" -> ready = true;
                case "I" -> {
                    ChildLine previous = pending.put(line.writer(), line);
                    if (previous != null) {
                        problems.add("writer " + line.writer() + " started a write before its previous one was acknowledged");
                    }
                }
                case "A" -> {
                    ChildLine intent = pending.remove(line.writer());
                    if (intent == null || intent.op() != line.op() || intent.version() != line.version()) {
                        problems.add("acknowledgement without its intent: " + line);
                        continue;
                    }
                    if (Content.hash(intent.op().name(), intent.ids(), intent.version()) != line.hash()) {
                        problems.add("acknowledged content hash differs from the intent's: " + line);
                    }
                    apply(present, intent);
                    acks++;
                }
                case "E" -> problems.add("a write failed in the child: " + line.text());
                case "BAD" -> problems.add("a reader in the child saw: " + line.text());
                default -> throw new IllegalStateException(line.kind());
            }
        }
        ackedWrites += acks;
        return new Run(List.copyOf(pending.values()), problems, ready, acks);
    }

    /**
     * Checks the versions a reopened node holds (id to version, for present ids) against the model and the run's
     * in-flight writes; adopts the outcome of each in-flight write. Returns what is wrong, empty when all holds.
     */
    List<String> reconcile(Map<String, Long> observed, List<ChildLine> inFlight) {
        List<String> problems = new ArrayList<>();
        for (ChildLine write : inFlight) {
            Map<String, Long> after = new HashMap<>();
            for (String id : write.ids()) {
                if (present.containsKey(id)) {
                    after.put(id, present.get(id));
                }
            }
            apply(after, write);
            boolean allBefore = true;
            boolean allAfter = true;
            for (String id : write.ids()) {
                allBefore &= java.util.Objects.equals(observed.get(id), present.get(id));
                allAfter &= java.util.Objects.equals(observed.get(id), after.get(id));
            }
            if (!allBefore && !allAfter) {
                StringBuilder s = new StringBuilder("in-flight " + write.op() + " v" + write.version()
                        + " is half applied:");
                for (String id : write.ids()) {
                    s.append(' ').append(id).append(" before=").append(present.get(id)).append(" after=")
                            .append(after.get(id)).append(" seen=").append(observed.get(id));
                }
                problems.add(s.toString());
            }
            for (String id : write.ids()) {
                // Whatever the node holds for an in-flight id is now the state the next run builds on.
                if (observed.containsKey(id)) {
                    present.put(id, observed.get(id));
                } else {
                    present.remove(id);
                }
            }
        }
        for (Map.Entry<String, Long> e : present.entrySet()) {
            Long seen = observed.get(e.getKey());
            if (!e.getValue().equals(seen)) {
                problems.add("acknowledged " + e.getKey() + " v" + e.getValue() + " reads as "
                        + (seen == null ? "absent" : "v" + seen));
            }
        }
        for (String id : observed.keySet()) {
            if (!present.containsKey(id)) {
                problems.add(id + " v" + observed.get(id) + " is present but its last acknowledged write left it absent");
            }
        }
        ackedWritesChecked = ackedWrites;
        recordsVerified += observed.size();
        return problems;
    }

    Map<String, Long> present() {
        return present;
    }

    long ackedWritesChecked() {
        return ackedWritesChecked;
    }

    long recordsVerified() {
        return recordsVerified;
    }

    /** Chroma's semantics for our ops: add of a present id is ignored, upsert sets, delete removes. */
    private static void apply(Map<String, Long> state, ChildLine write) {
        for (String id : write.ids()) {
            switch (write.op()) {
                case ADD -> state.putIfAbsent(id, write.version());
                case UPSERT -> state.put(id, write.version());
                case DELETE -> state.remove(id);
            }
        }
    }
}
