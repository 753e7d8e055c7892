package io.instahide.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TradeoffReportTest {

    private static TradeoffPoint point(
            String dataset, String setting, int seed, double accuracy, double ssim) {
        return point(dataset, setting, seed, accuracy, ssim, ssim + 0.2);
    }

    private static TradeoffPoint point(
            String dataset, String setting, int seed, double accuracy, double ssim, double oracle) {
        return new TradeoffPoint(
                dataset,
                setting,
                seed,
                5,
                20_000,
                accuracy,
                ssim,
                ssim + 0.1,
                oracle,
                "job",
                3,
                "resnet/shift");
    }

    private static List<TradeoffPoint> fashion(double bestPrivateAccuracy) {
        List<TradeoffPoint> points = new ArrayList<>();
        points.add(point("fashion-mnist", "plain", 1, 0.90, 1.0));
        points.add(point("fashion-mnist", "cross-k6-p2-other", 1, 0.40, 0.30));
        points.add(point("fashion-mnist", "cross-k6-p2-photos", 1, bestPrivateAccuracy, 0.25));
        points.add(point("fashion-mnist", "inside-k4", 1, 0.70, 0.50));
        points.add(point("mnist", "plain", 1, 0.99, 1.0));
        points.add(point("mnist", "cross-k6-p2-other", 1, 0.95, 0.28));
        return points;
    }

    @Test
    void theFrontHoldsTheSettingsNoOtherDominates() {
        Map<String, List<TradeoffReport.Summary>> all =
                new TradeoffReport(fashion(0.60), "test").summaries();

        List<String> front =
                TradeoffReport.front(all.get("fashion-mnist"), TradeoffReport.Leakage.ATTACK)
                        .stream()
                        .map(TradeoffReport.Summary::setting)
                        .toList();
        // the default leaks more and is less accurate than the photo pool: dominated
        assertThat(front).containsExactly("cross-k6-p2-photos", "inside-k4", "plain");
        assertThat(TradeoffReport.reading(all.get("fashion-mnist")))
                .contains("On the attack, it is dominated by `cross-k6-p2-photos`")
                .contains("(-50.00 points against plain)");
    }

    /** The Fashion-MNIST summaries of {@link #fashion} with a T = 3 point added. */
    private static List<TradeoffReport.Summary> fashionWithT3(
            double accuracy, double attack, double oracle) {
        List<TradeoffPoint> points = fashion(0.60);
        points.add(point("fashion-mnist", "cross-k6-p2-other-t3", 1, accuracy, attack, oracle));
        return new TradeoffReport(points, "test").summaries().get("fashion-mnist");
    }

    @Test
    void aSettingTheOracleRecoversIsOnTheAttacksFrontOnlyAndSaidToBe() {
        // T = 3: the clustering attack fails to group (low attack SSIM), the oracle does not
        List<TradeoffReport.Summary> fashion = fashionWithT3(0.65, 0.10, 0.60);

        assertThat(TradeoffReport.front(fashion, TradeoffReport.Leakage.ATTACK))
                .extracting(TradeoffReport.Summary::setting)
                .containsExactly("cross-k6-p2-other-t3", "inside-k4", "plain");
        // on the oracle t3 (0.65 at 0.60) no longer dominates the photo pool (0.60 at 0.45)
        assertThat(TradeoffReport.front(fashion, TradeoffReport.Leakage.ORACLE))
                .extracting(TradeoffReport.Summary::setting)
                .containsExactly(
                        "cross-k6-p2-photos", "cross-k6-p2-other-t3", "inside-k4", "plain");
        assertThat(TradeoffReport.reading(fashion))
                .contains(
                        "On the attack, it is dominated by `cross-k6-p2-photos`,"
                                + " `cross-k6-p2-other-t3`")
                .contains("On the oracle, it is dominated by `cross-k6-p2-photos`.");
    }

    @Test
    void theOracleFrontCanDropWhatTheAttacksFrontHolds() {
        List<TradeoffReport.Summary> fashion = fashionWithT3(0.58, 0.10, 0.90);

        assertThat(TradeoffReport.front(fashion, TradeoffReport.Leakage.ORACLE))
                .extracting(TradeoffReport.Summary::setting)
                .doesNotContain("cross-k6-p2-other-t3");
        assertThat(TradeoffReport.reading(fashion))
                .contains("On the attack's front only: `cross-k6-p2-other-t3`");
    }

    @Test
    void seedsAreAveragedAndAFrontPointWithFewSeedsIsReportedUnsettled() {
        List<TradeoffPoint> points = fashion(0.60);
        points.add(point("fashion-mnist", "cross-k6-p2-photos", 2, 0.70, 0.35));

        TradeoffReport report = new TradeoffReport(points, "test");
        TradeoffReport.Summary photos =
                report.summaries().get("fashion-mnist").stream()
                        .filter(s -> s.setting().equals("cross-k6-p2-photos"))
                        .findFirst()
                        .orElseThrow();

        assertThat(photos.seeds()).isEqualTo(2);
        assertThat(photos.accuracy()).isCloseTo(0.65, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(photos.accuracySd())
                .isCloseTo(0.0707, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(photos.attackSsim()).isCloseTo(0.30, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(report.frontNeedingSeeds().get("fashion-mnist")).contains("cross-k6-p2-photos");
    }

    @Test
    void theGoalIsMetOnlyWithinFivePointsOfPlainAndNoLeakierThanTheMnistDefault() {
        Map<String, List<TradeoffReport.Summary>> missed =
                new TradeoffReport(fashion(0.60), "test").summaries();
        assertThat(TradeoffReport.goal(missed))
                .contains("On the attack: **no setting on the measured grid meets it.**")
                .contains("`cross-k6-p2-photos`: 60.00 %, 30.00 points below plain");

        Map<String, List<TradeoffReport.Summary>> met =
                new TradeoffReport(fashion(0.86), "test").summaries();
        assertThat(TradeoffReport.goal(met))
                .contains("On the attack: **met** by `cross-k6-p2-photos`")
                .contains("On the oracle: **met** by `cross-k6-p2-photos`");
    }

    @Test
    void theGoalIsJudgedOnTheOracleApart() {
        List<TradeoffPoint> points = fashion(0.60);
        // accurate and below the MNIST default on the attack (0.28), far above on the oracle (0.48)
        points.add(point("fashion-mnist", "cross-k6-p2-other-t3", 1, 0.87, 0.10, 0.90));

        String goal = TradeoffReport.goal(new TradeoffReport(points, "test").summaries());

        assertThat(goal)
                .contains("(attack SSIM 0.280, oracle 0.480)")
                .contains("On the attack: **met** by `cross-k6-p2-other-t3`")
                .contains("On the oracle: **no setting on the measured grid meets it.**")
                .contains("`cross-k6-p2-photos`: 60.00 %, 30.00 points below plain");
    }

    @Test
    void writesTheReportAndOnePlotPerDataset(@TempDir Path out) throws Exception {
        new TradeoffReport(fashion(0.60), "demo/tradeoffs.sh --seeds 1").write(out, 12);

        String md = Files.readString(out.resolve("tradeoffs.md"));
        assertThat(md)
                .contains("`demo/tradeoffs.sh --seeds 1`")
                .contains("## Fashion-MNIST private")
                .contains("## MNIST private")
                .contains("| `cross-k6-p2-other` (default) | 1 | 40.00 % ± 0.00 | 0.300 |");
        assertThat(md).contains("](tradeoffs-mnist-oracle.png)");
        for (String plot :
                List.of(
                        "tradeoffs-fashion-mnist.png",
                        "tradeoffs-fashion-mnist-oracle.png",
                        "tradeoffs-mnist.png",
                        "tradeoffs-mnist-oracle.png")) {
            assertThat(Files.size(out.resolve(plot))).as(plot).isPositive();
        }
    }

    @Test
    void aLineWrittenBeforeTheTrainerColumnIsTheSmallCnnWithoutAugmentation() {
        String old = "mnist\tplain\t1\t5\t20000\t0.9800\t1.0000\t1.0000\t1.0000\tclear\t2.10";

        assertThat(TradeoffPoint.parse(old).trainer()).isEqualTo("small-cnn/none");
    }

    @Test
    void aPointSurvivesItsLine(@TempDir Path out) throws Exception {
        TradeoffPoint original = point("mnist", "cross-k6-p2-photos-t3", 2, 0.9123, 0.3456);
        Path file = out.resolve("points.tsv");
        Files.writeString(file, TradeoffPoint.HEADER + "\n" + original.line() + "\n");

        List<TradeoffPoint> read = TradeoffSweep.read(file);

        assertThat(read).hasSize(1);
        assertThat(read.get(0).sameRunAs("mnist", "cross-k6-p2-photos-t3", 2, original.training()))
                .isTrue();
        assertThat(
                        read.get(0)
                                .sameRunAs(
                                        "mnist",
                                        "cross-k6-p2-photos-t3",
                                        2,
                                        new TradeoffPoint.Training(5, 20_000, "small-cnn/none")))
                .as("another trainer is another run")
                .isFalse();
        assertThat(read.get(0).accuracy()).isEqualTo(0.9123);
        assertThat(read.get(0).attackMeanSsim()).isEqualTo(0.3456);
    }
}
