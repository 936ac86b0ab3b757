package dev.strata.wal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The object key of a sealed segment, {@code c/{collection}/log/{first}-{last}.e{epoch}.wal} with 20-digit
 * zero-padded sequence numbers so that a listing sorts by seq. GC parses these keys to find segments
 * wholly below a collection's log cursor.
 *
 * <p>The epoch is the writer epoch (the lease's) of the node that uploaded the segment: a fenced writer that
 * keeps running uploads under its old epoch, and readers drop such segments past the point where a newer
 * epoch took the log over ({@link LogFences}). Epoch 0 is a segment uploaded before keys carried an epoch
 * ({@code {first}-{last}.wal}).
 */
public record SegmentKey(String collection, long firstSeq, long lastSeq, long epoch) {

    private static final Pattern KEY = Pattern.compile("c/([^/]+)/log/(\\d{20})-(\\d{20})(?:\\.e(\\d{1,18}))?\\.wal");
    private static final Pattern COLLECTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public SegmentKey {
        requireValidCollection(collection);
        if (firstSeq < 1 || lastSeq < firstSeq) {
            throw new IllegalArgumentException("segment seq range must be 1 <= first <= last, got " + firstSeq + "-" + lastSeq);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("segment epoch must be >= 0, got " + epoch);
        }
    }

    /** A segment key without a writer epoch (epoch 0, the key format before epochs). */
    public SegmentKey(String collection, long firstSeq, long lastSeq) {
        this(collection, firstSeq, lastSeq, 0);
    }

    /** The key under which this segment is stored. */
    public String key() {
        return prefix(collection) + (epoch == 0 ? String.format("%020d-%020d.wal", firstSeq, lastSeq)
                : String.format("%020d-%020d.e%d.wal", firstSeq, lastSeq, epoch));
    }

    /** The prefix under which every sealed segment of {@code collection} is stored. */
    public static String prefix(String collection) {
        return "c/" + collection + "/log/";
    }

    /** The segment a key names, or empty when the key is not a log segment key. */
    public static Optional<SegmentKey> parse(String key) {
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        long first = Long.parseLong(m.group(2));
        long last = Long.parseLong(m.group(3));
        long epoch = m.group(4) == null ? 0 : Long.parseLong(m.group(4));
        if (first < 1 || last < first || !COLLECTION_ID.matcher(m.group(1)).matches()
                || (m.group(4) != null && (epoch == 0 || m.group(4).startsWith("0")))) {
            return Optional.empty();
        }
        return Optional.of(new SegmentKey(m.group(1), first, last, epoch));
    }

    /** Collection ids become folder names and key parts: letters, digits, '.', '_', '-', at most 128. */
    static void requireValidCollection(String collection) {
        if (collection == null || !COLLECTION_ID.matcher(collection).matches()) {
            throw new IllegalArgumentException("invalid collection id '" + collection
                    + "': use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }
}
