package dev.strata.wal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * The process {@link WalCrashTest} kills: appends random payloads from several threads to two
 * collections forever and prints one line per acknowledged record, {@code A <collection> <seq> <crc32c>
 * <length> E}, flushed before the next append.
 */
public final class WalCrashChild {

    static final WalOptions OPTIONS = WalOptions.defaults()
            .withSegmentBytes(32 * 1024).withSegmentAgeMs(100).withUploadIntervalMs(30);

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        WalFixture f = WalFixture.open(root, OPTIONS);
        for (int t = 0; t < threads; t++) {
            long seed = System.nanoTime() ^ (t * 0x9E3779B97F4A7C15L);
            Thread.ofPlatform().start(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                while (true) {
                    String coll = random.nextBoolean() ? "alpha" : "beta";
                    byte[] payload = new byte[random.nextInt(1, 3000)];
                    random.nextBytes(payload);
                    long seq = f.wal.append(coll, payload);
                    String line = "A " + coll + " " + seq + " " + crc(payload) + " " + payload.length + " E";
                    synchronized (out) {
                        out.println(line);
                        out.flush();
                    }
                }
            });
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    static long crc(byte[] payload) {
        CRC32C c = new CRC32C();
        c.update(payload);
        return c.getValue();
    }
}
