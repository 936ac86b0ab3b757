package dev.strata.jmh.cold;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The number of sequential object-store round trips in a set of requests: the longest chain of requests
 * in which each one starts after the previous one ended (the interval depth). Requests that overlap ran
 * in parallel and count once; a request that had to wait for another's answer adds one.
 */
public final class RoundTrips {

    /** One request as the recorder saw it: its op, key, start and end (nanos), and bytes moved. */
    public record Request(String op, String key, long startNanos, long endNanos, long bytes) {
        public Request {
            if (endNanos < startNanos) {
                throw new IllegalArgumentException("request " + op + " " + key + " ends before it starts");
            }
        }

        public double millis() {
            return (endNanos - startNanos) / 1e6;
        }
    }

    private RoundTrips() {
    }

    /** The length of the longest chain; 0 for no requests. */
    public static int depth(List<Request> requests) {
        return longestChain(requests).size();
    }

    /**
     * One longest chain, in time order. Requests are taken by start time; every request that ended at or
     * before a request's start may precede it, so the best chain ending at a request is one plus the best
     * among those. A heap by end time releases them as the start times pass: O(n log n).
     */
    public static List<Request> longestChain(List<Request> requests) {
        List<Request> byStart = new ArrayList<>(requests);
        byStart.sort(Comparator.comparingLong(Request::startNanos).thenComparingLong(Request::endNanos));
        int n = byStart.size();
        int[] depth = new int[n];
        int[] previous = new int[n];
        PriorityQueue<Integer> running = new PriorityQueue<>(Comparator.comparingLong(i -> byStart.get(i).endNanos()));
        int best = -1; // the deepest request among those already ended
        int last = -1;
        for (int i = 0; i < n; i++) {
            Request r = byStart.get(i);
            while (!running.isEmpty() && byStart.get(running.peek()).endNanos() <= r.startNanos()) {
                int ended = running.poll();
                if (best < 0 || depth[ended] > depth[best]) {
                    best = ended;
                }
            }
            depth[i] = best < 0 ? 1 : depth[best] + 1;
            previous[i] = best;
            running.add(i);
            if (last < 0 || depth[i] > depth[last]) {
                last = i;
            }
        }
        List<Request> chain = new ArrayList<>();
        for (int i = last; i >= 0; i = previous[i]) {
            chain.add(byStart.get(i));
        }
        Collections.reverse(chain);
        return chain;
    }
}
