package dev.strata.jmh.cold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoundTripsTest {

    private static RoundTrips.Request r(String key, long start, long end) {
        return new RoundTrips.Request("GET", key, start, end, 0);
    }

    @Test
    void noRequestsIsNoRoundTrip() {
        assertThat(RoundTrips.depth(List.of())).isZero();
    }

    @Test
    void parallelRequestsCountOnce() {
        assertThat(RoundTrips.depth(List.of(r("a", 0, 20), r("b", 1, 22), r("c", 5, 25)))).isEqualTo(1);
    }

    @Test
    void eachRequestStartedAfterTheLastEndedAddsOne() {
        assertThat(RoundTrips.depth(List.of(r("c", 40, 60), r("a", 0, 20), r("b", 20, 40)))).isEqualTo(3);
    }

    @Test
    void aRequestFollowsItsDeepestPredecessorNotItsLongest() {
        // manifest; then the index download and the roots in parallel; the live bitmap after the roots;
        // then one request after the download: the chain through roots and live bitmap is the longer one.
        List<RoundTrips.Request> requests = List.of(
                r("manifest", 0, 20),
                r("index", 21, 200),
                r("root", 21, 41),
                r("live", 42, 62),
                r("after-index", 201, 220));
        assertThat(RoundTrips.longestChain(requests)).extracting(RoundTrips.Request::key)
                .containsExactly("manifest", "root", "live", "after-index");
    }

    @Test
    void aRequestOverlappingItsPredecessorIsNotAfterIt() {
        assertThat(RoundTrips.depth(List.of(r("a", 0, 20), r("b", 19, 40), r("c", 39, 60)))).isEqualTo(2);
    }

    @Test
    void zeroLengthRequestsChainToo() {
        assertThat(RoundTrips.depth(List.of(r("a", 5, 5), r("b", 5, 5), r("c", 5, 9)))).isEqualTo(3);
    }

    @Test
    void aRequestEndingBeforeItStartsIsRejected() {
        assertThatThrownBy(() -> r("x", 10, 9)).isInstanceOf(IllegalArgumentException.class);
    }
}
