package dev.strata.compaction;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.FileFormat;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectNotFoundException;
import dev.strata.storage.ObjectStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collections whose compaction keeps failing, and why: what makes a stuck collection visible. Each distinct
 * cause of a collection is logged once at WARN (with its stack trace at DEBUG), not at every pass; the current
 * set is written to the bucket ({@link ObjectLayout#COMPACTION_FAILURES}, small) whenever it changes, for
 * {@code strata stats} to show; the
 * engine asks {@link #of} so that writes a stuck collection cannot take fail at once, naming the cause.
 */
public final class CompactionFailures {

    private static final Logger LOG = LoggerFactory.getLogger(CompactionFailures.class);
    private static final JsonMapper JSON = JsonMapper.builder()
            .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    /**
     * The object's format: {@code {"format":1,"failing":[...]}}. Objects written before the field existed lack it
     * and are version 1. No checksum: the object is small, informational and rewritten whole; damage shows as
     * JSON that does not parse.
     */
    static final FileFormat FORMAT = new FileFormat("compaction failures", new byte[0], 1, 1);

    /**
     * One collection's failing compaction.
     *
     * @param cause       the last failure, as exception type and message (the innermost cause included)
     * @param since       when the first failure of the current streak happened
     * @param attempts    failed attempts in the current streak
     * @param lastAttempt when the last one failed
     */
    public record Failure(UUID collection, String cause, Instant since, long attempts, Instant lastAttempt) {}

    private final ObjectStore store; // null: not persisted
    private final Map<UUID, Failure> failing = new ConcurrentHashMap<>();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final Object persistLock = new Object();

    /** @param store where the current set is written for {@code strata stats}; null keeps it in memory only */
    public CompactionFailures(ObjectStore store) {
        this.store = store;
    }

    /** Records a failed compaction of a collection; logs its cause if it is new for that collection. */
    public void failed(UUID collection, Throwable error) {
        failedAttempts.incrementAndGet();
        String cause = describe(error);
        Instant now = Instant.now();
        Failure before = failing.get(collection);
        Failure after = before == null ? new Failure(collection, cause, now, 1, now)
                : new Failure(collection, cause, before.since(), before.attempts() + 1, now);
        failing.put(collection, after);
        if (before == null || !sameCause(before.cause(), cause)) {
            LOG.warn("compaction of collection {} failed: {}; retried at every pass, logged again only if the cause"
                    + " changes (strata stats and /metrics show it meanwhile)", collection, cause);
            LOG.debug("compaction of collection {} failed", collection, error);
            persist();
        }
    }

    /** Records a successful compaction: the collection is no longer failing. */
    public void succeeded(UUID collection) {
        Failure before = failing.remove(collection);
        if (before != null) {
            LOG.info("compaction of collection {} succeeded again after {} failed attempts", collection, before.attempts());
            persist();
        }
    }

    /** Forgets collections that no longer exist. */
    public void retainOnly(java.util.Collection<UUID> collections) {
        if (failing.keySet().retainAll(new java.util.HashSet<>(collections))) {
            persist();
        }
    }

    /** The collection's current failure, if its compaction is failing. */
    public Optional<Failure> of(UUID collection) {
        return Optional.ofNullable(failing.get(collection));
    }

    /** Every failing collection, oldest failure first. */
    public List<Failure> all() {
        List<Failure> out = new ArrayList<>(failing.values());
        out.sort(Comparator.comparing(Failure::since));
        return out;
    }

    /** Failed compaction attempts since the node started. */
    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** Writes the current set (an empty one too: it replaces what a previous writer left). */
    public void persist() {
        if (store == null) {
            return;
        }
        synchronized (persistLock) {
            try {
                Map<String, Object> object = new LinkedHashMap<>();
                object.put("format", FORMAT.newestReadable());
                object.put("failing", all());
                store.put(ObjectLayout.COMPACTION_FAILURES, JSON.writeValueAsBytes(object));
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not write {} (compaction failures stay visible in /metrics and the log): {}",
                        ObjectLayout.COMPACTION_FAILURES, e.toString());
            }
        }
    }

    /**
     * What a bucket's writer last recorded (empty when it recorded nothing).
     *
     * @throws CorruptObjectException when the object is not what a writer writes
     * @throws dev.strata.storage.UnsupportedFormatVersionException when a newer Strata wrote it
     */
    public static List<Failure> read(ObjectStore store) {
        byte[] bytes;
        try {
            bytes = store.get(ObjectLayout.COMPACTION_FAILURES);
        } catch (ObjectNotFoundException e) {
            return List.of();
        }
        String key = ObjectLayout.COMPACTION_FAILURES;
        try {
            JsonNode object = JSON.readTree(bytes);
            if (object == null || !object.isObject()) {
                throw new CorruptObjectException(key, "compaction failures are not a JSON object");
            }
            FORMAT.checkVersionField(key, object.get("format"));
            JsonNode failing = object.get("failing");
            return failing == null ? List.of() : JSON.readerFor(new TypeReference<List<Failure>>() { }).readValue(failing);
        } catch (IOException e) {
            throw new CorruptObjectException(key, "compaction failures are not valid JSON: " + e.getMessage());
        }
    }

    /** Two causes are the same when they differ only in numbers and ids (a seq, a request id, an attempt count). */
    static boolean sameCause(String a, String b) {
        return shape(a).equals(shape(b));
    }

    private static String shape(String cause) {
        return cause.replaceAll("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", "<id>")
                .replaceAll("\\d+", "#");
    }

    /** "Type: message" of the error and of its innermost cause when that says more. */
    static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = error.getClass().getSimpleName() + ": " + error.getMessage();
        if (root == error || (root.getMessage() != null && error.getMessage() != null
                && error.getMessage().contains(root.getMessage()))) {
            return outer;
        }
        return outer + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
