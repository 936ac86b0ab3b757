package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Cancellation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The read workers hand each read's answer over exactly once, without a thread waiting for it. */
class ReadWorkersTest {

    private static final Function<Throwable, HttpAnswer> FAILURE = t -> ApiHandler.failure("POST", "/test", t);

    @Test
    void aReadsAnswerComesFromItsWorkerUnderItsCancellation() throws Exception {
        try (ReadWorkers reads = new ReadWorkers(2, 0)) {
            Answers answers = new Answers();
            Cancellation cancellation = new Cancellation();
            reads.start(() -> HttpAnswer.ok(Cancellation.current() == cancellation ? "mine" : "other"), cancellation,
                    10_000, FAILURE, answers::add);
            assertThat(answers.await(1)).singleElement().satisfies(a -> {
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.body()).isEqualTo("mine");
            });
            assertThat(answers.threads).singleElement().asString().startsWith("strata-read-");
        }
    }

    @Test
    void whatAReadThrowsBecomesItsErrorAnswer() throws Exception {
        try (ReadWorkers reads = new ReadWorkers(1, 0)) {
            Answers answers = new Answers();
            reads.start(() -> {
                throw new IllegalArgumentException("bad where");
            }, new Cancellation(), 10_000, FAILURE, answers::add);
            assertThat(answers.await(1)).singleElement().extracting(HttpAnswer::status).isEqualTo(400);
        }
    }

    @Test
    void aReadPastItsDeadlineIsAnswered408OnceAndCancelled() throws Exception {
        try (ReadWorkers reads = new ReadWorkers(1, 0)) {
            Answers answers = new Answers();
            Cancellation cancellation = new Cancellation();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch finished = new CountDownLatch(1);
            long started = System.nanoTime();
            reads.start(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                finished.countDown();
                return HttpAnswer.ok("late");
            }, cancellation, 100, FAILURE, answers::add);
            List<HttpAnswer> first = answers.await(1);
            long answeredMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(first).singleElement().extracting(HttpAnswer::status).isEqualTo(408);
            assertThat(answeredMs).as("ms until the 408").isBetween(100L, 100 + 20 * ReadWorkers.SWEEP_MS);
            assertThat(cancellation.reason()).contains("longer than 100 ms");

            release.countDown();
            assertThat(finished.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(50);
            assertThat(answers.all()).as("the read's own late answer is dropped").hasSize(1);
        }
    }

    @Test
    void aReadThatFindsEveryWorkerBusyIs429OnTheCallersThread() throws Exception {
        try (ReadWorkers reads = new ReadWorkers(1, 0)) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Answers slow = new Answers();
            reads.start(heldUntil(running, release), new Cancellation(), 10_000, FAILURE, slow::add);
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

            Answers refused = new Answers();
            reads.start(() -> HttpAnswer.ok("never"), new Cancellation(), 10_000, FAILURE, refused::add);
            assertThat(refused.all()).as("answered before start returned").singleElement()
                    .extracting(HttpAnswer::status).isEqualTo(429);
            assertThat(refused.threads).containsExactly(Thread.currentThread().getName());

            release.countDown();
            assertThat(slow.await(1)).singleElement().extracting(HttpAnswer::status).isEqualTo(200);
        }
    }

    @Test
    void aReadCancelledWhileItWaitedIsNotStartedAndCancelAllCountsRunningOnes() throws Exception {
        try (ReadWorkers reads = new ReadWorkers(1, 4)) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Answers first = new Answers();
            reads.start(heldUntil(running, release), new Cancellation(), 10_000, FAILURE, first::add);
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

            Answers queued = new Answers();
            Cancellation queuedCancellation = new Cancellation();
            boolean[] ran = {false};
            reads.start(() -> {
                ran[0] = true;
                return HttpAnswer.ok("queued");
            }, queuedCancellation, 10_000, FAILURE, queued::add);
            assertThat(reads.cancelAll("the node is stopping")).isEqualTo(2);
            release.countDown();
            assertThat(queued.await(1)).singleElement().extracting(HttpAnswer::status).isEqualTo(503);
            assertThat(ran[0]).isFalse();
            assertThat(queuedCancellation.reason()).isEqualTo("the node is stopping");
        }
    }

    /** A read that says it runs, then holds its worker until released. */
    private static java.util.function.Supplier<HttpAnswer> heldUntil(CountDownLatch running, CountDownLatch release) {
        return () -> {
            running.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HttpAnswer.ok("held");
        };
    }

    /** Answers as they come, with the name of the thread each came on. */
    private static final class Answers {
        final List<HttpAnswer> answers = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        void add(HttpAnswer a) {
            threads.add(Thread.currentThread().getName());
            answers.add(a);
        }

        List<HttpAnswer> all() {
            return List.copyOf(answers);
        }

        List<HttpAnswer> await(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (answers.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return all();
        }
    }
}
