package io.instahide.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's broker is a real child process; when it dies (killed here, as a crash or an OOM killer
 * would) the demo must say so and exit, not print zero rates forever.
 */
class BrokerFailureDemoITCase {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final java.util.regex.Pattern COMMITTED =
            java.util.regex.Pattern.compile("\\(([0-9,]+) committed\\)");

    @Test
    void whenItsBrokerDiesTheDemoSaysSoAndExits(@TempDir Path out) throws Exception {
        Path data = EmbeddedDemoITCase.datasets();
        DemoOptions options =
                DemoOptions.parse(
                        new String[] {
                            "--images", "5000",
                            "--pool", "200",
                            "--rate", "200",
                            "--data", data.toString(),
                            "--out", out.toString(),
                            "--prometheus-ports", "9400-9449",
                            "--timeout", "5 min"
                        });
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(new Tee(stdout, originalOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(stderr, originalErr), true, StandardCharsets.UTF_8));
        try {
            CompletableFuture<Integer> demo =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return new EmbeddedDemo(options).run();
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            await("the job running", () -> text(stdout).contains("running locally"));
            await(
                    "samples committed",
                    () ->
                            COMMITTED
                                    .matcher(text(stdout))
                                    .results()
                                    .anyMatch(m -> !m.group(1).equals("0")));
            List<ProcessHandle> brokers =
                    ProcessHandle.current()
                            .descendants()
                            .filter(BrokerFailureDemoITCase::isKafkaBroker)
                            .toList();
            assertThat(brokers).as("the broker's child JVM").hasSize(1);
            brokers.get(0).destroyForcibly();

            int status = demo.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(status).isEqualTo(EmbeddedDemo.BROKER_STOPPED);
            assertThat(text(stderr))
                    .contains("the embedded Kafka broker stopped")
                    .contains("Run demo/run.sh again");
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    /** The broker's child JVM runs the embedded broker's main class (read from /proc). */
    private static boolean isKafkaBroker(ProcessHandle process) {
        try {
            byte[] cmdline =
                    java.nio.file.Files.readAllBytes(
                            Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return List.of(new String(cmdline, StandardCharsets.UTF_8).split("\0"))
                    .contains("io.instahide.embedded.BrokerProcessMain");
        } catch (java.io.IOException e) {
            return false; // it exited meanwhile
        }
    }

    private static String text(ByteArrayOutputStream stream) {
        synchronized (stream) {
            return stream.toString(StandardCharsets.UTF_8);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(100); // polling interval of a condition, not a stand-in for one
        }
    }

    /** Writes to a buffer and passes everything on. */
    private static final class Tee extends java.io.OutputStream {
        private final ByteArrayOutputStream buffer;
        private final PrintStream next;

        Tee(ByteArrayOutputStream buffer, PrintStream next) {
            this.buffer = buffer;
            this.next = next;
        }

        @Override
        public void write(int b) {
            synchronized (buffer) {
                buffer.write(b);
            }
            next.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (buffer) {
                buffer.write(b, off, len);
            }
            next.write(b, off, len);
        }
    }
}
