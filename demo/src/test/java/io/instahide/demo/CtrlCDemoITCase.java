package io.instahide.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code demo/run.sh --keep-streaming} as a local tool, in its own JVM: while it streams, every
 * server it started (Kafka, Flink's RPC, BLOB, shuffle and REST servers, the Prometheus endpoint)
 * listens on loopback only (before, the reporter and two Flink servers listened on every
 * interface); then Ctrl-C, as a user presses it, must print its summary and exit within seconds
 * (every shutdown hook runs at once, the embedded broker's too; before that fix the demo took the
 * broker's end for a crash and printed "the embedded Kafka broker stopped" instead).
 */
class CtrlCDemoITCase {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern COMMITTED = Pattern.compile("\\(([0-9,]+) committed\\)");

    @TempDir Path out;

    @Test
    void itListensOnLoopbackOnlyAndCtrlCPrintsTheSummaryAndExitsWithinSeconds() throws Exception {
        Path data = EmbeddedDemoITCase.datasets();
        Path log = out.resolve("demo.log");
        Process demo =
                new ProcessBuilder(
                                // A build started in the background (`scripts/test.sh &`) hands
                                // its children SIGINT ignored, and a JVM keeps it ignored: reset
                                // it, as a terminal's Ctrl-C would find it (coreutils env execs
                                // java in the same process).
                                "env",
                                "--default-signal=INT",
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx1g",
                                "-Djava.awt.headless=true",
                                "-cp",
                                System.getProperty("java.class.path"),
                                EmbeddedDemo.class.getName(),
                                "--keep-streaming",
                                "--images",
                                "2000",
                                "--pool",
                                "200",
                                "--rate",
                                "300",
                                "--data",
                                data.toString(),
                                "--out",
                                out.toString(),
                                "--prometheus-ports",
                                "9450-9499")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        try {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (COMMITTED
                    .matcher(Files.readString(log))
                    .results()
                    .noneMatch(m -> !m.group(1).equals("0"))) {
                assertThat(demo.isAlive()).as(Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("samples committed").isLessThan(deadline);
                Thread.sleep(200); // polling interval of a condition, not a stand-in for one
            }
            List<InetSocketAddress> listening = TestingListeningSockets.of(demo.toHandle());
            assertThat(listening)
                    .as("the demo's listening sockets")
                    .hasSizeGreaterThanOrEqualTo(3) // broker, controller, Prometheus at least
                    .allSatisfy(
                            address ->
                                    assertThat(address.getAddress().isLoopbackAddress())
                                            .as("%s is on loopback", address)
                                            .isTrue());
            assertThat(listening).anySatisfy(a -> assertThat(a.getPort()).isBetween(9450, 9499));

            new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor();

            assertThat(demo.waitFor(20, TimeUnit.SECONDS))
                    .as("exited within 20 s of Ctrl-C:%n%s", Files.readString(log))
                    .isTrue();
            String output = Files.readString(log);
            assertThat(output)
                    .contains("Summary")
                    .contains("encrypted ")
                    .contains("RESULT")
                    .contains("Next steps")
                    .doesNotContain("the embedded Kafka broker stopped");
        } finally {
            demo.destroyForcibly();
        }
        assertThat(List.of(demo.isAlive())).containsExactly(false);
    }
}
