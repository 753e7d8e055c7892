package io.instahide.demo;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The sweep's report, {@code tradeoffs.md} with two plots per dataset: accuracy against the
 * realistic attack's mean SSIM ({@code tradeoffs-<dataset>.png}) and against the oracle's ({@code
 * tradeoffs-<dataset>-oracle.png}), each point a setting (mean over its seeds), the default marked
 * and that leakage's Pareto front drawn (no other setting is at least as accurate and at most as
 * leaky, and better in one), and a table; its reading (what dominates the default on each leakage,
 * what it costs, the Fashion-MNIST goal) is computed from the same numbers. A setting that only the
 * realistic attack's front holds (T &gt; 1 makes that attack's grouping fail while the oracle, told
 * the grouping, recovers more) is said to be so.
 */
final class TradeoffReport {

    /** Within this many points of plain accuracy counts as keeping accuracy (issue 21's goal). */
    static final double GOAL_POINTS = 5.0;

    /** The plots' size in pixels, and roughly that of their data area inside axes and legend. */
    private static final int PLOT_WIDTH = 1000;

    private static final int PLOT_HEIGHT = 640;
    private static final double PLOT_AREA_WIDTH = 910;
    private static final double PLOT_AREA_HEIGHT = 530;

    /** Seeds a setting on the front needs before its place there is reported as settled. */
    static final int FRONT_SEEDS = 3;

    /** One setting of one dataset over its seeds. */
    record Summary(
            String setting,
            int seeds,
            double accuracy,
            double accuracySd,
            double attackSsim,
            double attackMaxSsim,
            double oracleSsim,
            String encryptedBy) {

        boolean dominates(Summary other, Leakage leakage) {
            double mine = leakage.of(this);
            double theirs = leakage.of(other);
            return accuracy >= other.accuracy
                    && mine <= theirs
                    && (accuracy > other.accuracy || mine < theirs);
        }
    }

    /**
     * What a setting leaks, as measured on the job's output: the realistic attack (it must group
     * the encryptions itself) or the oracle (told the grouping: an upper bound of that attack).
     */
    enum Leakage {
        ATTACK(
                "attack",
                "attack mean SSIM on the job's output (clustering; lower is more private)"),
        ORACLE(
                "oracle",
                "oracle mean SSIM on the job's output (told the grouping; lower is more private)");

        final String word;
        final String axis;

        Leakage(String word, String axis) {
            this.word = word;
            this.axis = axis;
        }

        double of(Summary s) {
            return this == ATTACK ? s.attackSsim() : s.oracleSsim();
        }
    }

    private final List<TradeoffPoint> points;
    private final String command;

    TradeoffReport(List<TradeoffPoint> points, String command) {
        this.points = points;
        this.command = command;
    }

    /** Per dataset (in order of first appearance), per setting: the mean over seeds. */
    Map<String, List<Summary>> summaries() {
        Map<String, Map<String, List<TradeoffPoint>>> grouped = new LinkedHashMap<>();
        for (TradeoffPoint p : points) {
            grouped.computeIfAbsent(p.dataset(), d -> new LinkedHashMap<>())
                    .computeIfAbsent(p.setting(), s -> new ArrayList<>())
                    .add(p);
        }
        Map<String, List<Summary>> summaries = new LinkedHashMap<>();
        grouped.forEach(
                (dataset, settings) ->
                        summaries.put(
                                dataset,
                                settings.entrySet().stream()
                                        .map(e -> summary(e.getKey(), e.getValue()))
                                        .toList()));
        return summaries;
    }

    private static Summary summary(String setting, List<TradeoffPoint> runs) {
        double[] accuracy = runs.stream().mapToDouble(TradeoffPoint::accuracy).toArray();
        double mean = mean(accuracy);
        double sd =
                accuracy.length < 2
                        ? 0
                        : Math.sqrt(
                                Arrays.stream(accuracy).map(a -> (a - mean) * (a - mean)).sum()
                                        / (accuracy.length - 1));
        return new Summary(
                setting,
                runs.size(),
                mean,
                sd,
                mean(runs.stream().mapToDouble(TradeoffPoint::attackMeanSsim).toArray()),
                runs.stream().mapToDouble(TradeoffPoint::attackMaxSsim).max().orElse(0),
                mean(runs.stream().mapToDouble(TradeoffPoint::oracleMeanSsim).toArray()),
                runs.get(0).encryptedBy());
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /**
     * The settings no other setting dominates on this leakage, from the most private to the most
     * accurate.
     */
    static List<Summary> front(List<Summary> settings, Leakage leakage) {
        return settings.stream()
                .filter(s -> settings.stream().noneMatch(o -> o.dominates(s, leakage)))
                .sorted(Comparator.comparingDouble(leakage::of))
                .toList();
    }

    /** Settings on either front with fewer than {@link #FRONT_SEEDS} seeds, by dataset. */
    Map<String, List<String>> frontNeedingSeeds() {
        Map<String, List<String>> needing = new LinkedHashMap<>();
        summaries()
                .forEach(
                        (dataset, settings) ->
                                needing.put(
                                        dataset,
                                        fronts(settings).entrySet().stream()
                                                .filter(e -> e.getKey().seeds() < FRONT_SEEDS)
                                                .filter(e -> !e.getValue().isEmpty())
                                                .map(e -> e.getKey().setting())
                                                .toList()));
        return needing;
    }

    /** Per setting, in order, the leakages on whose front it lies (each front computed once). */
    private static Map<Summary, List<Leakage>> fronts(List<Summary> settings) {
        Map<Summary, List<Leakage>> fronts = new LinkedHashMap<>();
        settings.forEach(s -> fronts.put(s, new ArrayList<>()));
        for (Leakage leakage : Leakage.values()) {
            front(settings, leakage).forEach(s -> fronts.get(s).add(leakage));
        }
        return fronts;
    }

    void write(Path directory, double minutes) throws IOException {
        Files.createDirectories(directory);
        Map<String, List<Summary>> all = summaries();
        StringBuilder md = new StringBuilder();
        md.append("# Privacy–utility trade-offs\n\n");
        md.append(
                String.format(
                        Locale.ROOT,
                        "Generated by `%s` (%d points, %.0f minutes of runs). Every point is one"
                                + " setting: the accuracy benchmark's model trained on the"
                                + " setting's stream (InstaHide through the real broker and job,"
                                + " fresh encryptions every epoch; Mixup and plain from the core"
                                + " encoder) and evaluated on the clean test set; then the privacy"
                                + " audit on the same setting: the job encrypts private test"
                                + " images, the attacker reads its shuffled output topic as a"
                                + " trainer does and clusters the encryptions by the correlation"
                                + " of their absolute values, fitting one image per cluster"
                                + " (**attack SSIM**, the realistic attack); the **oracle** is"
                                + " told which private images each encryption mixes (an upper"
                                + " bound). SSIM as the InstaHide challenge scored it: mean over"
                                + " the private images, [0, 1] pixels; clean images count 1. A"
                                + " Pareto front: no other setting is at least as accurate and"
                                + " at most as leaky. Each dataset has two: on the realistic"
                                + " attack and on the oracle. A setting on the first alone owes"
                                + " its place to the attack's grouping failing (as at T > 1),"
                                + " which a better grouping attack need not; a setting on both"
                                + " holds up against either. Seeds: every point's accuracy and"
                                + " attacks are the mean over its seeds; a front point with fewer"
                                + " than %d seeds is marked.%n%n",
                        command,
                        points.size(),
                        minutes,
                        FRONT_SEEDS));
        if (!points.isEmpty()) {
            TradeoffPoint.Training training = points.get(0).training();
            md.append(
                    String.format(
                            Locale.ROOT,
                            "Training: the Python trainer's `%s` model (model/augmentation), %d"
                                    + " epochs of %,d images.%n%n",
                            training.trainer(),
                            training.epochs(),
                            training.train()));
        }
        md.append(nameKey());
        for (Map.Entry<String, List<Summary>> dataset : all.entrySet()) {
            md.append("\n## ").append(label(dataset.getKey())).append(" private\n\n");
            for (Leakage leakage : Leakage.values()) {
                String file =
                        "tradeoffs-"
                                + dataset.getKey()
                                + (leakage == Leakage.ATTACK ? "" : "-" + leakage.word)
                                + ".png";
                GoalMarks marks =
                        dataset.getKey().equals("fashion-mnist") ? goalMarks(all, leakage) : null;
                plot(directory.resolve(file), dataset.getKey(), dataset.getValue(), leakage, marks);
                md.append("![")
                        .append(label(dataset.getKey()))
                        .append(" trade-offs, ")
                        .append(leakage.word)
                        .append("](")
                        .append(file)
                        .append(")\n");
            }
            md.append('\n');
            md.append(table(dataset.getValue()));
            md.append('\n').append(reading(dataset.getValue())).append('\n');
        }
        md.append(goal(all));
        Files.writeString(directory.resolve("tradeoffs.md"), md.toString());
    }

    private static String nameKey() {
        return "Setting names: `plain` clean images; `mixup-kK` Mixup of K images without the mask"
                + " (the insecure reference); `inside-kK` InstaHide with all K images private;"
                + " `cross-kK-pP-POOL` InstaHide with P private images and K − P from the public"
                + " pool: `other` the other image set on its own statistics (MNIST ↔"
                + " Fashion-MNIST), `other-norm` the same on the private set's statistics,"
                + " `photos` grey patches of ten natural photos; `-tT` T encryptions per image."
                + " The product's default is `"
                + SweepSetting.DEFAULT.name()
                + "`.\n";
    }

    private static String table(List<Summary> settings) {
        Map<Summary, List<Leakage>> fronts = fronts(settings);
        StringBuilder md = new StringBuilder();
        md.append(
                "| setting | seeds | clean accuracy | attack SSIM (mean) | attack SSIM (max) |"
                        + " oracle SSIM (mean) | attacked | on the front of |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
        settings.stream()
                .sorted(Comparator.comparingDouble(Summary::attackSsim))
                .forEach(
                        s ->
                                md.append(
                                        String.format(
                                                Locale.ROOT,
                                                "| `%s`%s | %d | %.2f %% ± %.2f | %.3f | %.3f |"
                                                        + " %.3f | %s | %s |%n",
                                                s.setting(),
                                                s.setting().equals(SweepSetting.DEFAULT.name())
                                                        ? " (default)"
                                                        : "",
                                                s.seeds(),
                                                100 * s.accuracy(),
                                                100 * s.accuracySd(),
                                                s.attackSsim(),
                                                s.attackMaxSsim(),
                                                s.oracleSsim(),
                                                s.encryptedBy(),
                                                frontMark(s, fronts.get(s)))));
        return md.toString();
    }

    private static String frontMark(Summary s, List<Leakage> fronts) {
        if (fronts.isEmpty()) {
            return "";
        }
        String which =
                fronts.size() == Leakage.values().length ? "both" : fronts.get(0).word + " only";
        return s.seeds() >= FRONT_SEEDS
                ? which
                : which + " (" + s.seeds() + (s.seeds() == 1 ? " seed" : " seeds") + ": unsettled)";
    }

    /**
     * What the numbers say: the default's cost and leakage, what dominates it and the front, on
     * each leakage, and which settings only the realistic attack's front holds.
     */
    static String reading(List<Summary> settings) {
        StringBuilder text = new StringBuilder();
        Summary plain = find(settings, "plain");
        Summary standard = find(settings, SweepSetting.DEFAULT.name());
        if (plain != null) {
            text.append(
                    String.format(
                            Locale.ROOT,
                            "Plain training reaches %.2f %%. ",
                            100 * plain.accuracy()));
        }
        if (standard != null) {
            text.append(
                    String.format(
                            Locale.ROOT,
                            "The default `%s` reaches %.2f %%%s with attack SSIM %.3f (oracle"
                                    + " %.3f). ",
                            standard.setting(),
                            100 * standard.accuracy(),
                            plain == null
                                    ? ""
                                    : String.format(
                                            Locale.ROOT,
                                            " (%+.2f points against plain)",
                                            100 * (standard.accuracy() - plain.accuracy())),
                            standard.attackSsim(),
                            standard.oracleSsim()));
            for (Leakage leakage : Leakage.values()) {
                List<String> better =
                        settings.stream()
                                .filter(s -> s.dominates(standard, leakage))
                                .map(s -> "`" + s.setting() + "`")
                                .toList();
                text.append("On the ").append(leakage.word).append(", ");
                text.append(
                        better.isEmpty()
                                ? "no measured setting dominates it. "
                                : "it is dominated by " + String.join(", ", better) + ". ");
            }
        }
        for (Leakage leakage : Leakage.values()) {
            text.append("The front on the ")
                    .append(leakage.word)
                    .append(", from the most private: ")
                    .append(
                            front(settings, leakage).stream()
                                    .map(
                                            s ->
                                                    String.format(
                                                            Locale.ROOT,
                                                            "`%s` (%.2f %%, SSIM %.3f)",
                                                            s.setting(),
                                                            100 * s.accuracy(),
                                                            leakage.of(s)))
                                    .collect(Collectors.joining(", ")))
                    .append(". ");
        }
        List<String> attackOnly =
                fronts(settings).entrySet().stream()
                        .filter(e -> e.getValue().equals(List.of(Leakage.ATTACK)))
                        .sorted(Comparator.comparingDouble(e -> e.getKey().attackSsim()))
                        .map(e -> "`" + e.getKey().setting() + "`")
                        .toList();
        if (!attackOnly.isEmpty()) {
            text.append("On the attack's front only: ")
                    .append(String.join(", ", attackOnly))
                    .append(" (the oracle, told the grouping, puts each behind another setting).");
        }
        return text.toString().stripTrailing() + "\n";
    }

    /**
     * Issue 21's goal: on Fashion-MNIST a setting within {@link #GOAL_POINTS} of plain that leaks
     * no more than the default on MNIST, judged on the realistic attack and on the oracle.
     */
    static String goal(Map<String, List<Summary>> all) {
        List<Summary> fashion = all.get("fashion-mnist");
        List<Summary> mnist = all.get("mnist");
        Summary fashionPlain = fashion == null ? null : find(fashion, "plain");
        Summary mnistDefault = mnist == null ? null : find(mnist, SweepSetting.DEFAULT.name());
        if (fashionPlain == null || mnistDefault == null) {
            return "\n## Goal\n\nNot judged yet: it needs plain Fashion-MNIST and the default on"
                    + " MNIST.\n";
        }
        double floor = fashionPlain.accuracy() - GOAL_POINTS / 100;
        StringBuilder text = new StringBuilder("\n## Goal\n\n");
        text.append(
                String.format(
                        Locale.ROOT,
                        "On Fashion-MNIST, a setting within %.0f points of plain (%.2f %%, so at"
                                + " least %.2f %%) that leaks no more than the MNIST default"
                                + " (attack SSIM %.3f, oracle %.3f).",
                        GOAL_POINTS,
                        100 * fashionPlain.accuracy(),
                        100 * floor,
                        mnistDefault.attackSsim(),
                        mnistDefault.oracleSsim()));
        for (Leakage leakage : Leakage.values()) {
            text.append("\n\n- On the ")
                    .append(leakage.word)
                    .append(": ")
                    .append(
                            goalOn(
                                    leakage,
                                    fashion,
                                    fashionPlain,
                                    floor,
                                    leakage.of(mnistDefault)));
        }
        return text.append('\n').toString();
    }

    /**
     * The goal on one leakage: the Fashion-MNIST settings at least {@code floor} accurate that leak
     * at most {@code ceiling}, or the most accurate one that leaks no more.
     */
    private static String goalOn(
            Leakage leakage, List<Summary> fashion, Summary plain, double floor, double ceiling) {
        List<Summary> leakingNoMore =
                fashion.stream()
                        .filter(s -> !s.setting().equals("plain"))
                        .filter(s -> leakage.of(s) <= ceiling)
                        .toList();
        List<Summary> meeting = leakingNoMore.stream().filter(s -> s.accuracy() >= floor).toList();
        if (!meeting.isEmpty()) {
            return "**met** by "
                    + meeting.stream()
                            .map(
                                    s ->
                                            String.format(
                                                    Locale.ROOT,
                                                    "`%s` (%.2f %%, SSIM %.3f, %d seeds)",
                                                    s.setting(),
                                                    100 * s.accuracy(),
                                                    leakage.of(s),
                                                    s.seeds()))
                            .collect(Collectors.joining(", "))
                    + ".";
        }
        return "**no setting on the measured grid meets it.**"
                + leakingNoMore.stream()
                        .max(Comparator.comparingDouble(Summary::accuracy))
                        .map(
                                s ->
                                        String.format(
                                                Locale.ROOT,
                                                " The most accurate setting that leaks no more is"
                                                        + " `%s`: %.2f %%, %.2f points below"
                                                        + " plain.",
                                                s.setting(),
                                                100 * s.accuracy(),
                                                100 * (plain.accuracy() - s.accuracy())))
                        .orElse("");
    }

    private static ValueMarker mark(double value, String label, TextAnchor text) {
        ValueMarker marker =
                new ValueMarker(
                        value,
                        Color.GRAY,
                        new BasicStroke(
                                1.5f,
                                BasicStroke.CAP_BUTT,
                                BasicStroke.JOIN_MITER,
                                10f,
                                new float[] {6f, 4f},
                                0f));
        marker.setLabel(label);
        marker.setLabelFont(new Font(Font.SANS_SERIF, Font.ITALIC, 11));
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(text);
        return marker;
    }

    private static Summary find(List<Summary> settings, String name) {
        return settings.stream().filter(s -> s.setting().equals(name)).findFirst().orElse(null);
    }

    private static String label(String dataset) {
        return AccuracyData.of(dataset).label;
    }

    /**
     * The goal's two bounds on the Fashion-MNIST plot: plain − 5 points, the MNIST default's SSIM.
     */
    private record GoalMarks(double accuracyFloor, double leakageCeiling) {}

    private static GoalMarks goalMarks(Map<String, List<Summary>> all, Leakage leakage) {
        Summary fashionPlain =
                all.get("fashion-mnist") == null ? null : find(all.get("fashion-mnist"), "plain");
        Summary mnistDefault =
                all.get("mnist") == null
                        ? null
                        : find(all.get("mnist"), SweepSetting.DEFAULT.name());
        return fashionPlain == null || mnistDefault == null
                ? null
                : new GoalMarks(
                        100 * fashionPlain.accuracy() - GOAL_POINTS, leakage.of(mnistDefault));
    }

    private static void plot(
            Path file, String dataset, List<Summary> settings, Leakage leakage, GoalMarks goal)
            throws IOException {
        XYSeries all = new XYSeries("settings (mean over seeds)");
        XYSeries front = new XYSeries("Pareto front on the " + leakage.word, false);
        XYSeries standard = new XYSeries("default (" + SweepSetting.DEFAULT.name() + ")");
        settings.forEach(s -> all.add(leakage.of(s), 100 * s.accuracy()));
        front(settings, leakage).forEach(s -> front.add(leakage.of(s), 100 * s.accuracy()));
        settings.stream()
                .filter(s -> s.setting().equals(SweepSetting.DEFAULT.name()))
                .forEach(s -> standard.add(leakage.of(s), 100 * s.accuracy()));
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(front);
        data.addSeries(all);
        data.addSeries(standard);
        JFreeChart chart =
                ChartStyle.xyChart(
                        label(dataset)
                                + " private: clean accuracy against what the "
                                + leakage.word
                                + " recovers",
                        leakage.axis,
                        "clean test accuracy (%)",
                        data);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesLinesVisible(0, true);
        renderer.setSeriesShapesVisible(0, false);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesPaint(0, new Color(0x2ca02c));
        renderer.setSeriesLinesVisible(1, false);
        renderer.setSeriesShape(1, new Ellipse2D.Double(-5, -5, 10, 10));
        renderer.setSeriesPaint(1, new Color(0x1f77b4));
        renderer.setSeriesLinesVisible(2, false);
        renderer.setSeriesShape(2, new Rectangle2D.Double(-8, -8, 16, 16));
        renderer.setSeriesPaint(2, new Color(0xd62728));
        plot.setRenderer(renderer);
        NumberAxis ssim = (NumberAxis) plot.getDomainAxis();
        ssim.setRange(0, 1.1);
        NumberAxis accuracy = (NumberAxis) plot.getRangeAxis();
        double low = settings.stream().mapToDouble(Summary::accuracy).min().orElse(0);
        accuracy.setRange(Math.max(0, Math.floor(low * 10) * 10 - 5), 100);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        List<LabelPlacement.Label> names =
                settings.stream()
                        .map(
                                s ->
                                        new LabelPlacement.Label(
                                                leakage.of(s), 100 * s.accuracy(), s.setting()))
                        .toList();
        List<LabelPlacement.Side> sides =
                new LabelPlacement(
                                ssim.getLowerBound(),
                                ssim.getUpperBound(),
                                accuracy.getLowerBound(),
                                accuracy.getUpperBound(),
                                PLOT_AREA_WIDTH,
                                PLOT_AREA_HEIGHT)
                        .place(names);
        for (int i = 0; i < names.size(); i++) {
            LabelPlacement.Label label = names.get(i);
            XYTextAnnotation name =
                    new XYTextAnnotation(" " + label.text() + " ", label.x(), label.y());
            name.setFont(font);
            name.setTextAnchor(sides.get(i).anchor);
            plot.addAnnotation(name);
        }
        if (goal != null) {
            plot.addRangeMarker(
                    mark(
                            goal.accuracyFloor(),
                            String.format(Locale.ROOT, "plain − %.0f points", GOAL_POINTS),
                            TextAnchor.BOTTOM_LEFT));
            plot.addDomainMarker(
                    mark(
                            goal.leakageCeiling(),
                            "the MNIST default's leakage",
                            TextAnchor.TOP_LEFT));
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart, PLOT_WIDTH, PLOT_HEIGHT);
    }
}
