package io.instahide.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick start's main command, shortened: real MNIST and Fashion-MNIST (fetched by {@code
 * scripts/fetch-datasets.sh}, as {@code .ci/run} and {@code demo/run.sh} do), a real broker, a
 * local Flink cluster. It must finish with every image encrypted and the PNG written.
 */
class EmbeddedDemoITCase {

    /** The datasets the build fetched (scripts/fetch-datasets.sh), checked to be there. */
    static Path datasets() {
        Path data = Path.of("..", ".cache", "datasets");
        assertThat(data.resolve("mnist").resolve(".verified"))
                .as("datasets missing: run scripts/fetch-datasets.sh first")
                .exists();
        return data;
    }

    @Test
    void theDemoEncryptsEveryImageAndWritesTheBeforeAfterPicture(@TempDir Path out)
            throws Exception {
        Path data = datasets();
        DemoOptions options =
                DemoOptions.parse(
                        new String[] {
                            "--images", "400",
                            "--pool", "500",
                            "--rate", "0",
                            "--bad-every", "100",
                            "--data", data.toString(),
                            "--out", out.toString(),
                            "--prometheus-ports", "9350-9399",
                            "--timeout", "3 min"
                        });
        assertThat(new EmbeddedDemo(options).run()).isZero();
        Path png = out.resolve("before-after.png");
        assertThat(png).exists();
        BufferedImage image = ImageIO.read(Files.newInputStream(png));
        assertThat(image.getWidth()).isGreaterThan(8 * 28);
    }
}
