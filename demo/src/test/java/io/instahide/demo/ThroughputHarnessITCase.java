package io.instahide.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code demo/throughput.sh}, shortened (2,000 MNIST records, one round, 3 s of latency at two
 * loads, each with and without the output shuffle): every measurement of the long form runs and
 * reports a number, so the harness the README's figures come from keeps working. The figures
 * themselves come from the long form (docs/performance.md).
 */
class ThroughputHarnessITCase {

    private static final Pattern ROW =
            Pattern.compile(
                    "\\| (encrypt|pass-through[^|]*|broker ceiling[^|]*|plain-script Python"
                            + " peer[^|]*) \\| ([\\d,]+) \\|");
    private static final Pattern LATENCY = Pattern.compile("p50 (\\d+) ms, p99 (\\d+) ms");
    private static final Pattern SETS =
            Pattern.compile("64 mb \\(median ([\\d,]+) images, smallest [\\d,]+\\)");

    @Test
    void everyMeasurementOfTheHarnessRunsAndReports(@TempDir Path out) throws Exception {
        Path report = out.resolve("throughput.md");
        String summary =
                ThroughputHarness.run(
                        new String[] {
                            "--images", "2000",
                            "--passes", "1",
                            "--rounds", "1",
                            "--latency-seconds", "3",
                            "--latency-loads", "0.5,0.1",
                            "--latency-windows", "64mb,0",
                            "--data", EmbeddedDemoITCase.datasets().toString(),
                            "--python", Path.of("..", "python").toString(),
                            "--report", report.toString()
                        });

        assertThat(Files.readString(report)).isEqualTo(summary);
        Matcher rows = ROW.matcher(summary);
        int found = 0;
        while (rows.find()) {
            found++;
            assertThat(Long.parseLong(rows.group(2).replace(",", "")))
                    .as(rows.group(1) + " records/s")
                    .isPositive();
        }
        assertThat(found)
                .as("encrypt, pass-through, ceiling and Python peer rows in\n" + summary)
                .isEqualTo(4);
        Matcher latency = LATENCY.matcher(summary);
        int loads = 0;
        while (latency.find()) {
            loads++;
            assertThat(Long.parseLong(latency.group(1)))
                    .isPositive()
                    .isLessThanOrEqualTo(Long.parseLong(latency.group(2)));
        }
        assertThat(loads)
                .as("a latency line per load and window (or more, halved) in\n" + summary)
                .isGreaterThanOrEqualTo(4);
        assertThat(summary).contains("(0.10 of the encrypt rate;");
        Matcher sets = SETS.matcher(summary);
        int shuffled = 0;
        while (sets.find()) {
            shuffled++;
            assertThat(Long.parseLong(sets.group(1).replace(",", "")))
                    .as("images per emptied window")
                    .isPositive();
        }
        assertThat(shuffled)
                .as(
                        "anonymity sets of the shuffled runs, in their lines and the table, in\n"
                                + summary)
                .isGreaterThanOrEqualTo(4);
        assertThat(summary).contains("| 0.50 | 0 (no shuffle) |", "| 0.10 | 0 (no shuffle) |");
    }
}
