package io.instahide.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code demo/tradeoffs.sh}, shortened (MNIST, two settings, one epoch of 400 images, the audit on
 * 8 images): each point trains the Python trainer on the setting's stream through the real job and
 * attacks the job's output for the same setting, is written as soon as it is measured, and a second
 * sweep over the same grid measures nothing again. The figures come from the long form
 * (docs/tradeoffs.md).
 */
class TradeoffSweepITCase {

    private static String[] sweep(Path out) {
        return new String[] {
            "--datasets", "mnist",
            "--settings", "plain,cross-k4-p2-other",
            "--epochs", "1",
            "--train", "400",
            "--front-seeds", "1",
            "--audit-images", "8",
            "--audit-pool", "40",
            "--iterations", "20",
            "--data", EmbeddedDemoITCase.datasets().toString(),
            "--python", Path.of("..", "python").toString(),
            "--out", out.toString()
        };
    }

    @Test
    void everyPointTrainsThroughTheJobAttacksItsOutputAndIsNotRunTwice(@TempDir Path out)
            throws Exception {
        Path file = TradeoffSweep.run(sweep(out));

        List<TradeoffPoint> points = TradeoffSweep.read(file);
        assertThat(points)
                .extracting(TradeoffPoint::setting)
                .containsExactly("plain", "cross-k4-p2-other");
        TradeoffPoint plain = points.get(0);
        assertThat(plain.encryptedBy()).isEqualTo("clear");
        assertThat(plain.attackMeanSsim()).isEqualTo(1.0);
        TradeoffPoint cross = points.get(1);
        assertThat(cross.encryptedBy()).isEqualTo("job");
        assertThat(cross.attackMeanSsim()).isBetween(0.0, 1.0).isLessThan(plain.attackMeanSsim());
        assertThat(cross.oracleMeanSsim()).isBetween(0.0, 1.0);
        // ten classes: anything above chance means the model learned from the stream
        assertThat(plain.accuracy()).isGreaterThan(0.2);
        assertThat(cross.accuracy()).isBetween(0.0, 1.0);
        assertThat(Files.readString(out.resolve("tradeoffs.md")))
                .contains("## MNIST private")
                .contains("`cross-k4-p2-other`");
        assertThat(out.resolve("tradeoffs-mnist.png")).isNotEmptyFile();

        String before = Files.readString(file);
        TradeoffSweep.run(sweep(out));
        assertThat(Files.readString(file))
                .as("a resumed sweep runs no point twice")
                .isEqualTo(before);
    }
}
