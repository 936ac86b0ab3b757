package dev.strata.catalog;

import dev.strata.storage.ObjectStore;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby's announcement to the writer: it rewrites {@code lease-standby.json} (node id and a beat count, so the
 * object changes each time) every unwatched renewal interval while it waits, and the writer, seeing it change, renews
 * its lease at the standby rate so the standby can take over within the standby stale interval. Unconditional PUTs:
 * several standbys may share the key, any of them keeps the writer fast. Closing it stops the PUTs; the writer falls
 * back to its slow heartbeat about three intervals later.
 */
public final class StandbyBeacon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StandbyBeacon.class);

    private record Beat(String nodeId, long beat) {}

    private final ObjectStore store;
    private final String key;
    private final String nodeId;
    private final ScheduledExecutorService beats;
    private long beat;

    private StandbyBeacon(ObjectStore store, String key, String nodeId, long everyMs) {
        this.store = store;
        this.key = key;
        this.nodeId = nodeId;
        this.beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "strata-standby-beacon-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        beats.scheduleWithFixedDelay(this::beatQuietly, 0, Math.max(1, everyMs), TimeUnit.MILLISECONDS);
    }

    /** Starts announcing a standby with the key and interval of {@code options}. */
    public static StandbyBeacon start(ObjectStore store, String nodeId, CatalogOptions options) {
        return new StandbyBeacon(store, options.standbyBeaconKey(), nodeId, options.leaseRenewMs());
    }

    private void beatQuietly() {
        try {
            store.put(key, CatalogJson.MAPPER.writeValueAsBytes(new Beat(nodeId, ++beat)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not write the standby beacon {}: {}", key, e.toString());
        }
    }

    /** Stops the beats; returns once none is in flight, so nothing is written after this. */
    @Override
    public void close() {
        beats.shutdownNow();
        try {
            if (!beats.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the standby beacon {} did not stop within 10 s", key);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
