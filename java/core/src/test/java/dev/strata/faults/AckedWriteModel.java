package dev.strata.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.GetRequest;
import dev.strata.api.GetResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each record may look like after a run with failing writes: an acknowledged write fixes the
 * record's state; a write that failed may or may not have happened (a timed-out upload or a torn
 * append can still land), so it only adds a possible state. Ids of one collection are written by one
 * thread at a time, which keeps the per-id history ordered.
 */
final class AckedWriteModel {

    /** The state of a record that is not there (deleted or never written). */
    static final String ABSENT = "<absent>";

    private final Map<String, Map<String, Set<String>>> allowed = new ConcurrentHashMap<>();
    private final Map<String, List<String>> history = new ConcurrentHashMap<>();

    /** Records the outcome of one write: {@code states} maps each id it touched to its new document (or ABSENT). */
    void record(String collection, Map<String, String> states, boolean acknowledged) {
        Map<String, Set<String>> ids = allowed.computeIfAbsent(collection, c -> new ConcurrentHashMap<>());
        states.forEach((id, state) -> {
            history.computeIfAbsent(collection + "/" + id, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add((acknowledged ? "acked " : "failed ") + state + " " + states.keySet());
            if (acknowledged) {
                Set<String> only = new HashSet<>();
                only.add(state);
                ids.put(id, only);
            } else {
                ids.computeIfAbsent(id, i -> new HashSet<>(Set.of(ABSENT))).add(state);
            }
        });
    }

    /** The state an acknowledged write left, when no failed write touched the id since; null otherwise. */
    String certain(String collection, String id) {
        Set<String> states = allowed.getOrDefault(collection, Map.of()).get(id);
        return states != null && states.size() == 1 ? states.iterator().next() : null;
    }

    /** Asserts that every record of the collection is in one of the states its writes allow. */
    void verify(Collection collection, String name) {
        Map<String, Set<String>> ids = allowed.getOrDefault(name, Map.of());
        List<String> all = new ArrayList<>(ids.keySet());
        GetResult got = collection.get(GetRequest.builder().ids(all).build());
        Map<String, String> actual = new HashMap<>();
        for (int i = 0; i < got.size(); i++) {
            actual.put(got.ids().get(i), got.documents().get(i));
        }
        for (String id : all) {
            assertThat(ids.get(id))
                    .as("record %s of collection %s after reopen; its writes: %s", id, name, history.get(name + "/" + id))
                    .contains(actual.getOrDefault(id, ABSENT));
        }
    }

    /** Ids whose state is certain (last write acknowledged): the ones a lost write would show up in. */
    long certainCount() {
        return allowed.values().stream().flatMap(m -> m.values().stream()).filter(s -> s.size() == 1).count();
    }
}
