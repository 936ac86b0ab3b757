package dev.strata.wal;

import dev.strata.storage.ObjectLayout.LogSegment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Which uploaded log segments count: the takeover points the catalog records ({@link LogFence}, per log) decide
 * between the segments of successive writer epochs. A segment of epoch {@code e} counts only when it ends before
 * every later epoch's takeover point; of two counted segments that overlap (a segment re-uploaded under a newer
 * epoch, or a takeover the reader's catalog does not know yet), the newer epoch's wins.
 */
public final class LogFences {

    private static final LogFences NONE = new LogFences(log -> List.of());

    private final Function<String, List<LogFence>> byLog;

    private LogFences(Function<String, List<LogFence>> byLog) {
        this.byLog = byLog;
    }

    /** No takeover recorded: every segment counts, overlaps resolved by epoch. */
    public static LogFences none() {
        return NONE;
    }

    /** The fences of each log as {@code byLog} gives them now (read again at each use, so it may follow a catalog). */
    public static LogFences of(Function<String, List<LogFence>> byLog) {
        return new LogFences(log -> {
            List<LogFence> f = byLog.apply(log);
            return f == null ? List.of() : f;
        });
    }

    public static LogFences of(Map<String, List<LogFence>> byLog) {
        Map<String, List<LogFence>> copy = Map.copyOf(byLog);
        return of(copy::get);
    }

    /** True unless a later epoch took the log over at or before the segment's last seq. */
    public boolean admits(LogSegment k) {
        for (LogFence f : byLog.apply(k.collection())) {
            if (f.epoch() > k.epoch() && k.lastSeq() >= f.fromSeq()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The segments of {@code collection} that count, by first seq, without overlaps: those the fences admit,
     * newer epochs first, each kept unless it overlaps one already kept.
     */
    public TreeMap<Long, LogSegment> chain(String collection, Collection<LogSegment> listed) {
        List<LogSegment> candidates = new ArrayList<>();
        for (LogSegment k : listed) {
            if (k.collection().equals(collection) && admits(k)) {
                candidates.add(k);
            }
        }
        candidates.sort(Comparator.comparingLong(LogSegment::epoch).reversed().thenComparingLong(LogSegment::firstSeq));
        TreeMap<Long, LogSegment> out = new TreeMap<>();
        for (LogSegment k : candidates) {
            Map.Entry<Long, LogSegment> below = out.floorEntry(k.firstSeq());
            Map.Entry<Long, LogSegment> above = out.ceilingEntry(k.firstSeq());
            boolean overlaps = (below != null && below.getValue().lastSeq() >= k.firstSeq())
                    || (above != null && above.getKey() <= k.lastSeq());
            if (!overlaps) {
                out.put(k.firstSeq(), k);
            }
        }
        return out;
    }
}
