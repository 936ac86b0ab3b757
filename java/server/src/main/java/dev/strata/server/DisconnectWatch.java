package dev.strata.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a client that closes its connection while its read runs, so that the read stops at its next deadline
 * check instead of running to its deadline for nobody.
 *
 * <p>Jetty cannot tell: over HTTP/1.1 it reads nothing from a connection while a handler runs (the request was read
 * whole), so a peer's close stays in the socket until the answer is written. Asking Jetty to read (fill interest)
 * would consume the bytes of a next, pipelined request. Instead this watch registers the connection's socket with a
 * selector of its own, for readiness only, and never reads from it: when the socket becomes readable while the read
 * runs, the bytes waiting in the kernel ({@code FIONREAD}, through {@link java.io.InputStream#available}) tell the
 * two cases apart. None waiting means end of stream or a reset: the client is gone. Some waiting means the client
 * sent its next request early: it is there, and the watch stops without touching those bytes (Jetty parses them
 * after the answer). A client that half-closes its sending side is taken as gone, as Go's HTTP server does.
 *
 * <p>One daemon thread serves every watch. It looks every {@link #TICK_MS} and registers only the reads that have
 * run for {@link #DELAY_MS} by then: most reads end within a millisecond, and registering each of them (a selector
 * wake-up to register, another to deregister) kept this thread at 6-12 % of a core under one client's queries. Starting
 * and ending a watch wakes no thread. A client that leaves is seen within about {@code DELAY_MS + TICK_MS} of the
 * read's start, or at once after that.
 */
final class DisconnectWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DisconnectWatch.class);
    /** How often watched sockets are also checked for having been closed on this side (idle timeout, stop). */
    private static final long SWEEP_MS = 500;
    /** How often the thread looks for reads to watch. */
    static final long TICK_MS = 100;
    /** How long a read runs before its connection is watched. */
    static final long DELAY_MS = 100;

    /** What {@link #watch} returns: closing it ends the watch. */
    interface Handle extends AutoCloseable {
        @Override
        void close();
    }

    /** A watch that watches nothing: for a transport that is not a socket channel. */
    static final Handle NONE = () -> { };

    private final Selector selector;
    private final Queue<Watch> added = new ConcurrentLinkedQueue<>();
    private final Set<Watch> active = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long registered; // written by the thread alone

    DisconnectWatch() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the selector that watches for disconnected clients", e);
        }
        thread = Thread.ofPlatform().name("strata-disconnect-watch").daemon().start(this::run);
    }

    /**
     * Calls {@code onGone} once if the client of {@code endPoint} closes its connection before the returned
     * handle is closed; close it when the read ends.
     */
    Handle watch(EndPoint endPoint, Runnable onGone) {
        return endPoint.getTransport() instanceof SocketChannel channel ? watch(channel, onGone) : NONE;
    }

    /** As {@link #watch(EndPoint, Runnable)}, for the connection's socket. */
    Handle watch(SocketChannel channel, Runnable onGone) {
        if (closed) {
            return NONE;
        }
        Watch w = new Watch(channel, onGone);
        active.add(w);
        added.add(w); // registered by the thread once it is DELAY_MS old, if it still runs
        return w;
    }

    /** How many watches were registered with the selector so far (for tests). */
    long registered() {
        return registered;
    }

    /** Watches in progress (for tests and metrics). */
    int watching() {
        return active.size();
    }

    private void run() {
        long lastSweep = System.nanoTime();
        while (!closed) {
            try {
                selector.select(TICK_MS);
                register();
                for (SelectionKey key : selector.selectedKeys()) {
                    Watch w = (Watch) key.attachment();
                    key.cancel();
                    if (peerClosed(w.channel)) {
                        w.gone();
                    } else {
                        // The next request's bytes arrived: the client is there. They stay unread for Jetty.
                        w.stop();
                    }
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() - lastSweep >= SWEEP_MS * 1_000_000) {
                    lastSweep = System.nanoTime();
                    for (Watch w : active) {
                        if (!w.channel.isOpen()) {
                            w.gone();
                        }
                    }
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException | Error e) {
                // An Error (out of memory) ends no thread: a dead watch would leave every abandoned read running.
                if (!closed) {
                    LOG.warn("the disconnect watch failed once; it goes on: {}", e.toString());
                }
            }
        }
    }

    /** Registers the watches of reads that still run {@link #DELAY_MS} after they began (oldest first). */
    private void register() throws IOException {
        long due = System.nanoTime() - DELAY_MS * 1_000_000;
        for (Watch w; (w = added.peek()) != null; ) {
            if (!w.done.get() && w.since - due > 0) {
                return; // this one and all after it are younger
            }
            added.poll();
            if (w.done.get()) {
                continue;
            }
            try {
                SelectionKey key = register(w);
                w.key = key;
                registered++;
                if (w.done.get()) {
                    key.cancel(); // the read ended while it was being registered
                }
            } catch (ClosedChannelException e) {
                w.gone();
            }
        }
    }

    private SelectionKey register(Watch w) throws IOException {
        try {
            return w.channel.register(selector, SelectionKey.OP_READ, w);
        } catch (CancelledKeyException e) {
            // The previous read on this connection cancelled its key after the last selection: flush it, retry.
            selector.selectNow();
            return w.channel.register(selector, SelectionKey.OP_READ, w);
        }
    }

    /** Whether a readable socket has nothing to read: end of stream or an error (checked without reading). */
    private static boolean peerClosed(SocketChannel channel) {
        if (!channel.isOpen()) {
            return true;
        }
        try {
            return channel.socket().getInputStream().available() == 0;
        } catch (IOException e) {
            return true; // reset, or the input already shut down
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(1_000);
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the disconnect watch's selector", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        active.clear();
    }

    /** One read's watch on its connection. */
    private final class Watch implements Handle {
        final SocketChannel channel;
        final Runnable onGone;
        final AtomicBoolean done = new AtomicBoolean();
        final long since = System.nanoTime();
        volatile SelectionKey key;

        Watch(SocketChannel channel, Runnable onGone) {
            this.channel = channel;
            this.onGone = onGone;
        }

        void gone() {
            if (done.compareAndSet(false, true)) {
                active.remove(this);
                try {
                    onGone.run();
                } catch (RuntimeException e) {
                    LOG.warn("a disconnect callback failed", e);
                }
            }
        }

        void stop() {
            done.set(true);
            active.remove(this);
        }

        @Override
        public void close() {
            stop();
            SelectionKey k = key;
            if (k != null) {
                // Deregistered at the thread's next selection; a next read on this connection that registers the
                // same socket before then flushes it first (register below).
                k.cancel();
            }
        }
    }
}
