package dev.strata.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing process with SIGKILL at a random moment, 20 times on the same folder, and checks after
 * each restart that every record the process saw acknowledged (durability LOCAL) is there, intact.
 */
class WalCrashTest {

    private static final Pattern ACK = Pattern.compile("A (\\w+) (\\d+) (\\d+) (\\d+) E");

    private record Ack(String collection, long seq, long crc, int length) {}

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordSurvivesRepeatedKillMinusNine() throws Exception {
        Random random = new Random();
        Map<String, Long> maxAcked = new HashMap<>();
        // Every round checks the acknowledgements of all rounds so far: later recoveries must not lose them.
        List<Ack> acks = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            List<Ack> roundAcks = runAndKill(random.nextInt(5, 200), round);
            assertThat(roundAcks).as("round %d acknowledged something", round).isNotEmpty();
            acks.addAll(roundAcks);
            try (WalFixture f = WalFixture.open(dir, WalCrashChild.OPTIONS)) {
                Map<String, Map<Long, LogRecord>> records = new HashMap<>();
                for (String c : f.wal.collections()) {
                    Map<Long, LogRecord> bySeq = new HashMap<>();
                    for (LogRecord r : f.wal.read(c, 1, Integer.MAX_VALUE)) {
                        bySeq.put(r.seq(), r);
                    }
                    records.put(c, bySeq);
                    assertThat(bySeq).hasSize((int) f.wal.lastSeq(c));
                }
                for (Ack a : acks) {
                    LogRecord r = records.getOrDefault(a.collection(), Map.of()).get(a.seq());
                    assertThat(r).as("round %d: acknowledged %s", round, a).isNotNull();
                    assertThat(r.payload()).as("round %d: payload of %s", round, a).hasSize(a.length());
                    assertThat(WalCrashChild.crc(r.payload())).as("round %d: payload of %s", round, a).isEqualTo(a.crc());
                    maxAcked.merge(a.collection(), a.seq(), Math::max);
                }
                for (var e : maxAcked.entrySet()) {
                    assertThat(f.wal.lastSeq(e.getKey())).isGreaterThanOrEqualTo(e.getValue());
                }
            }
        }
        assertThat(acks).hasSizeGreaterThan(20);
    }

    /** Starts the child, lets it acknowledge for a while after its first ack, kills it, returns its acks. */
    private List<Ack> runAndKill(int millisAfterFirstAck, int round) throws Exception {
        String java = System.getProperty("strata.test.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), WalCrashChild.class.getName(), dir.toString(), "4");
        pb.redirectError(dir.resolve("child-" + round + ".err").toFile());
        Process p = pb.start();
        List<Ack> acks = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher m = ACK.matcher(line);
                    if (m.matches()) {
                        acks.add(new Ack(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                                Integer.parseInt(m.group(4))));
                        first.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                // the pipe closes when the child dies
            }
        });
        boolean started = first.await(30, TimeUnit.SECONDS);
        if (started) {
            Thread.sleep(millisAfterFirstAck);
        }
        p.destroyForcibly();
        p.waitFor();
        reader.join();
        assertThat(started).as("child acknowledged a record within 30 s (see %s)", dir.resolve("child-" + round + ".err")).isTrue();
        return new ArrayList<>(acks);
    }
}
