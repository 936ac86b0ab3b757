package dev.strata.ops.port;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A one-line text progress bar redrawn in place with a carriage return:
 * {@code songs [#########-----------] 1200/2500 records  850 rec/s}. Redraws at most a few times a second so a
 * fast copy does not flood a slow terminal; the final state of each collection is always drawn.
 */
public final class TextProgressBar implements PortProgress {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final PrintWriter out;
    private String collection;
    private long total;
    private long done;
    private long startedNanos;
    private long drawnNanos;

    public TextProgressBar(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void start(String collection, long total) {
        this.collection = collection;
        this.total = Math.max(0, total);
        this.done = 0;
        this.startedNanos = System.nanoTime();
        draw();
    }

    @Override
    public void advance(int records) {
        done += records;
        if (System.nanoTime() - drawnNanos >= REDRAW_NANOS) {
            draw();
        }
    }

    @Override
    public void finish() {
        draw();
        out.println();
        out.flush();
    }

    /** The line for the current state (without the carriage return). */
    String line() {
        double fraction = total == 0 ? 1.0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        long rate = seconds <= 0 ? 0 : Math.round(done / seconds);
        return String.format(Locale.ROOT, "%s [%s%s] %d/%d records  %d rec/s", collection,
                "#".repeat(filled), "-".repeat(WIDTH - filled), done, total, rate);
    }

    private void draw() {
        drawnNanos = System.nanoTime();
        out.print("\r" + line());
        out.flush();
    }
}
