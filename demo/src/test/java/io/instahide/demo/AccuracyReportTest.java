package io.instahide.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AccuracyReportTest {

    @TempDir Path out;

    @Test
    void tableHasMeanSdAndDifferenceToPlainAndThePlotIsWritten() throws Exception {
        List<AccuracyReport.Run> runs =
                List.of(
                        new AccuracyReport.Run("plain", 1, new double[] {0.97, 0.99}, 60),
                        new AccuracyReport.Run("plain", 2, new double[] {0.96, 0.98}, 120),
                        new AccuracyReport.Run("InstaHide", 1, new double[] {0.90, 0.95}, 90),
                        new AccuracyReport.Run("InstaHide", 2, new double[] {0.91, 0.97}, 90));

        new AccuracyReport(AccuracyData.MNIST, 2, "--epochs 2 --seeds 2", 60_000, 6, runs)
                .write(out);

        String table = Files.readString(out.resolve("accuracy.md"));
        assertThat(table).contains("`demo/accuracy.sh --epochs 2 --seeds 2` (60,000 MNIST");
        // plain: mean 98.5, sd sqrt(((.99-.985)^2+(.98-.985)^2)/1) = 0.71 points
        assertThat(table).contains("| plain | 98.50 % ± 0.71 | 2 | 99.00 % | +0.00 points | 1.5 |");
        assertThat(table)
                .contains("| InstaHide | 96.00 % ± 1.41 | 2 | 97.00 % | -2.50 points | 1.5 |");
        assertThat(table).contains("| InstaHide | 90.50 | 96.00 |");
        BufferedImage plot = ImageIO.read(out.resolve("accuracy.png").toFile());
        assertThat(plot.getWidth()).isGreaterThan(400);
    }
}
