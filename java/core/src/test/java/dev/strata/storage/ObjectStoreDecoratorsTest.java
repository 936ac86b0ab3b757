package dev.strata.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.FaultInjectingObjectStore.Fault;
import dev.strata.storage.FaultInjectingObjectStore.InjectedFaultException;
import dev.strata.storage.RequestStats.Op;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoreDecoratorsTest {

    @TempDir
    java.nio.file.Path dir;

    LocalObjectStore local;

    @BeforeEach
    void setUp() {
        local = new LocalObjectStore(dir);
    }

    @Test
    void latencyIsSpentBeforeEachRequestOfTheConfiguredTypes() {
        List<Duration> slept = Collections.synchronizedList(new ArrayList<>());
        ObjectStore slow = new LatencyInjectingObjectStore(local,
                Map.of(Op.GET, Duration.ofMillis(30), Op.PUT, Duration.ofMillis(50)), slept::add);

        slow.put("k", "v".getBytes(UTF_8));
        assertThat(slow.get("k")).isEqualTo("v".getBytes(UTF_8));
        slow.head("k");
        slow.getVersioned("k");

        assertThat(slept).containsExactly(Duration.ofMillis(50), Duration.ofMillis(30), Duration.ofMillis(30));
        assertThat(slow.stats()).isSameAs(local.stats());
        assertThat(slow.describe()).contains("latency").contains(local.describe());
    }

    @Test
    void uniformLatencyRejectsNegativeDelays() {
        assertThatThrownBy(() -> new LatencyInjectingObjectStore(local, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCertainFaultFailsEveryRequestOfThatTypeOnly() {
        FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(local, 1).failing(Op.PUT, 1.0, Fault.SLOW_DOWN);

        assertThatThrownBy(() -> faulty.put("a", new byte[] {1}))
                .isInstanceOf(InjectedFaultException.class).isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("SlowDown").hasMessageContaining("(key a)");
        assertThat(local.head("a")).as("a 503 never reaches the store").isEmpty();
        assertThat(faulty.putIfAbsent("b", new byte[] {2})).isNotBlank();
        assertThat(faulty.get("b")).containsExactly(2);
        assertThat(faulty.injected(Fault.SLOW_DOWN)).isEqualTo(1);
        assertThat(faulty.injected(Op.PUT)).isEqualTo(1);
        assertThat(faulty.injected(Op.GET)).isZero();
    }

    @Test
    void aResetWriteMayHaveHappenedAlthoughTheCallerSawAnError() {
        FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(local, 1)
                .failNext(Op.PUT_CONDITIONAL, Fault.CONNECTION_RESET);

        assertThatThrownBy(() -> faulty.putIfAbsent("lease.json", "me".getBytes(UTF_8)))
                .isInstanceOf(InjectedFaultException.class).hasCauseInstanceOf(SocketException.class)
                .satisfies(e -> assertThat(((InjectedFaultException) e).fault()).isEqualTo(Fault.CONNECTION_RESET));
        assertThat(local.get("lease.json")).isEqualTo("me".getBytes(UTF_8));
        assertThatThrownBy(() -> faulty.putIfAbsent("lease.json", "me".getBytes(UTF_8)))
                .as("one-shot: the retry reaches the store and loses to the first attempt")
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void theSameSeedGivesTheSameFaultsAtTheConfiguredRate() {
        local.put("k", new byte[] {1});
        List<Integer> first = failures(new FaultInjectingObjectStore(local, 42), 2000);
        List<Integer> second = failures(new FaultInjectingObjectStore(local, 42), 2000);
        List<Integer> other = failures(new FaultInjectingObjectStore(local, 43), 2000);

        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(first.size()).isBetween(400, 600); // 25% of 2000, seeded
    }

    private static List<Integer> failures(FaultInjectingObjectStore store, int requests) {
        store.failing(Op.GET, 0.25, Fault.INTERNAL_ERROR, Fault.SERVICE_UNAVAILABLE, Fault.TIMEOUT);
        List<Integer> failed = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            try {
                store.get("k");
            } catch (InjectedFaultException e) {
                failed.add(i);
            }
        }
        assertThat(store.totalInjected()).isEqualTo(failed.size());
        assertThat(store.injected(Fault.INTERNAL_ERROR) + store.injected(Fault.SERVICE_UNAVAILABLE)
                + store.injected(Fault.TIMEOUT)).isEqualTo(failed.size());
        assertThat(store.injected(Fault.INTERNAL_ERROR)).isPositive();
        assertThat(store.injected(Fault.TIMEOUT)).isPositive();
        return failed;
    }

    @Test
    void healingStopsInjection() {
        FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(local, 7).failingAll(1.0, Fault.TIMEOUT);
        assertThatThrownBy(() -> faulty.list("")).isInstanceOf(InjectedFaultException.class);

        faulty.heal();

        assertThat(faulty.list("")).isEmpty();
        assertThatThrownBy(() -> faulty.failing(Op.GET, 1.5, Fault.TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faulty.failing(Op.GET, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
