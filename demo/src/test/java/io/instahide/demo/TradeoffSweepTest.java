package io.instahide.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TradeoffSweepTest {

    @Test
    void reportOnlyRewritesTheReportFromThePointsOfItsTrainingAlone(@TempDir Path out)
            throws Exception {
        String small = "\t5\t20000\t0.8700\t1.0000\t1.0000\t1.0000\tclear\t2.00\tsmall-cnn/none";
        String resnet = "\t5\t20000\t0.9100\t1.0000\t1.0000\t1.0000\tclear\t9.00\tresnet/none";
        Files.writeString(
                out.resolve("tradeoffs-points.tsv"),
                String.join(
                        "\n",
                        TradeoffPoint.HEADER,
                        "fashion-mnist\tplain\t1" + small,
                        "fashion-mnist\tplain\t2" + small,
                        "fashion-mnist\tplain\t1" + resnet,
                        ""));

        TradeoffSweep.run(new String[] {"--report-only", "--out", out.toString()});

        assertThat(Files.readString(out.resolve("tradeoffs.md")))
                .contains("(2 points, 4 minutes of runs)")
                .contains("| `plain` | 2 | 87.00 % ± 0.00 |")
                .doesNotContain("91.00");
    }
}
