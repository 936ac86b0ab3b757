package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The watch registers only reads that outlast its delay, and still sees their clients leave. */
class DisconnectWatchTest {

    /** A connected pair: [0] the server's side (what is watched), [1] the client's. */
    private static SocketChannel[] connection(ServerSocketChannel listener) throws Exception {
        SocketChannel client = SocketChannel.open(listener.getLocalAddress());
        SocketChannel server = listener.accept();
        server.configureBlocking(false); // as Jetty's connections are
        return new SocketChannel[] {server, client};
    }

    @Test
    void readsThatEndWithinTheDelayCostNoRegistrationAndNoCallback() throws Exception {
        try (DisconnectWatch watch = new DisconnectWatch();
             ServerSocketChannel listener = ServerSocketChannel.open()
                     .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SocketChannel[] pair = connection(listener);
            AtomicInteger gone = new AtomicInteger();
            for (int i = 0; i < 200; i++) {
                watch.watch(pair[0], gone::incrementAndGet).close();
            }
            assertThat(watch.watching()).isZero();
            pair[1].close();
            Thread.sleep(DisconnectWatch.DELAY_MS + 3 * DisconnectWatch.TICK_MS);
            assertThat(watch.registered()).as("registrations").isZero();
            assertThat(gone).as("callbacks of ended reads").hasValue(0);
            pair[0].close();
        }
    }

    @Test
    void aClientThatLeavesDuringALongReadIsSeenSoonAfterTheDelay() throws Exception {
        try (DisconnectWatch watch = new DisconnectWatch();
             ServerSocketChannel listener = ServerSocketChannel.open()
                     .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SocketChannel[] pair = connection(listener);
            CountDownLatch gone = new CountDownLatch(1);
            long start = System.nanoTime();
            try (DisconnectWatch.Handle h = watch.watch(pair[0], gone::countDown)) {
                pair[1].close();
                assertThat(gone.await(5, TimeUnit.SECONDS)).isTrue();
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertThat(ms).as("ms until the leave was seen")
                        .isLessThan(DisconnectWatch.DELAY_MS + 2 * DisconnectWatch.TICK_MS + 1_000);
                assertThat(watch.registered()).isEqualTo(1);
            }
            pair[0].close();
        }
    }

    @Test
    void aClientThatSendsItsNextRequestEarlyIsThereAndItsBytesStayUnread() throws Exception {
        try (DisconnectWatch watch = new DisconnectWatch();
             ServerSocketChannel listener = ServerSocketChannel.open()
                     .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SocketChannel[] pair = connection(listener);
            AtomicInteger gone = new AtomicInteger();
            try (DisconnectWatch.Handle h = watch.watch(pair[0], gone::incrementAndGet)) {
                pair[1].write(java.nio.ByteBuffer.wrap("GET / HTTP/1.1\r\n".getBytes()));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (watch.watching() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(watch.watching()).as("the watch stopped").isZero();
            }
            assertThat(gone).hasValue(0);
            assertThat(pair[0].socket().getInputStream().available()).isEqualTo(16);
            pair[0].close();
            pair[1].close();
        }
    }
}
