package io.instahide.demo;

import io.instahide.audit.AuditImages;
import io.instahide.audit.AuditedJob;
import io.instahide.audit.Reconstruction;
import io.instahide.audit.SettingAudit;
import io.instahide.clients.IdxDataset;
import io.instahide.clients.ImageDataset;
import io.instahide.embedded.EmbeddedKafkaBroker;

import org.apache.flink.util.ParameterTool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The privacy–utility sweep: for every dataset, setting and seed, the accuracy benchmark's training
 * on the setting's stream (through the real job) and the privacy audit of the same setting on the
 * job's output; each point is appended to {@code OUT/tradeoffs-points.tsv} as soon as it is
 * measured and the report ({@link TradeoffReport}) rewritten, so an interrupted sweep resumes where
 * it stopped (points of the same dataset, setting, seed and budget are not run again). After the
 * grid, settings on either of a dataset's Pareto fronts (realistic attack, oracle) get more seeds
 * until each has {@code --front-seeds}.
 *
 * <pre>
 * demo/tradeoffs.sh [--datasets mnist,fashion-mnist] [--settings plain,mixup-k4,inside-k4,...]
 *                   [--seeds 1] [--front-seeds 3] [--epochs 5] [--train 20000]
 *                   [--audit-images 100] [--audit-pool 2000] [--iterations 300] [--out docs]
 *                   [--arch small-cnn|resnet] [--augment none|shift|shift-flip]
 *                   [--data .cache/datasets] [--python python] [--report-only] [job options]
 * </pre>
 */
public final class TradeoffSweep {

    /** The default grid: k, private slots, pool, its normaliser, mask (Mixup), T. */
    static final List<String> DEFAULT_SETTINGS =
            List.of(
                    "plain",
                    "mixup-k4",
                    "inside-k2",
                    "inside-k4",
                    "inside-k6",
                    "cross-k4-p2-other",
                    "cross-k6-p2-other",
                    "cross-k6-p2-other-norm",
                    "cross-k4-p2-photos",
                    "cross-k6-p2-photos",
                    "cross-k6-p1-photos",
                    "cross-k6-p2-photos-t3");

    private static final Set<String> OWN =
            Set.of(
                    "datasets",
                    "settings",
                    "seeds",
                    "front-seeds",
                    "epochs",
                    "train",
                    "audit-images",
                    "audit-pool",
                    "iterations",
                    "learning-rate",
                    "out",
                    "report-only");

    private final EmbeddedKafkaBroker broker;
    private final AuditedJob audited;
    private final ParameterTool jobParameters;
    private final Path data;
    private final int epochs;
    private final int trainSize;
    private final TradeoffPoint.Training training;
    private final int auditImages;
    private final int auditPool;
    private final Reconstruction.Fit fit;
    private final Path points;
    private final List<TradeoffPoint> measured;

    private TradeoffSweep(
            EmbeddedKafkaBroker broker,
            AuditedJob audited,
            ParameterTool parameters,
            Path points,
            List<TradeoffPoint> measured) {
        this.broker = broker;
        this.audited = audited;
        Map<String, String> job = new HashMap<>(parameters.toMap());
        job.keySet().removeAll(OWN); // job options, and --data and --python for the accuracy runs
        this.jobParameters = ParameterTool.fromMap(job);
        this.data = Path.of(parameters.get("data", ".cache/datasets"));
        this.epochs = parameters.getInt("epochs", 5);
        this.trainSize = parameters.getInt("train", 20_000);
        this.training = training(parameters);
        this.auditImages = parameters.getInt("audit-images", 100);
        this.auditPool = parameters.getInt("audit-pool", 2000);
        this.fit =
                new Reconstruction.Fit(
                        parameters.getInt("iterations", 300),
                        parameters.getDouble("learning-rate", 0.05));
        this.points = points;
        this.measured = measured;
    }

    public static void main(String[] args) throws Exception {
        run(args);
        System.exit(0);
    }

    /** Runs the sweep; returns the points file. */
    static Path run(String[] args) throws Exception {
        ParameterTool parameters = ParameterTool.fromArgs(args);
        List<String> datasets =
                List.of(parameters.get("datasets", "mnist,fashion-mnist").split(","));
        List<SweepSetting> settings =
                (parameters.has("settings")
                                ? List.of(parameters.get("settings").split(","))
                                : DEFAULT_SETTINGS)
                        .stream().map(SweepSetting::parse).toList();
        datasets.forEach(AccuracyData::of); // an unknown name fails before any run
        int seeds = parameters.getInt("seeds", 1);
        int frontSeeds = parameters.getInt("front-seeds", TradeoffReport.FRONT_SEEDS);
        Path out = Path.of(parameters.get("out", "docs"));
        Path pointsFile = out.resolve("tradeoffs-points.tsv");
        List<TradeoffPoint> measured = read(pointsFile);
        String command = ("demo/tradeoffs.sh " + String.join(" ", args)).strip();
        if (parameters.has("report-only")) {
            // Rewrites the report from the points file, e.g. after merging points from elsewhere.
            TradeoffPoint.Training training = training(parameters);
            List<TradeoffPoint> points =
                    measured.stream().filter(p -> p.training().equals(training)).toList();
            new TradeoffReport(points, command)
                    .write(out, points.stream().mapToDouble(TradeoffPoint::minutes).sum());
            say(
                    "Wrote %s from %d points of %s",
                    out.resolve("tradeoffs.md"), points.size(), pointsFile);
            return pointsFile;
        }
        long start = System.nanoTime();
        double before = measured.stream().mapToDouble(TradeoffPoint::minutes).sum();
        say(
                "Sweep: %d datasets x %d settings x %d seeds, %d epochs of %,d images; %d points"
                        + " already in %s",
                datasets.size(),
                settings.size(),
                seeds,
                parameters.getInt("epochs", 5),
                parameters.getInt("train", 20_000),
                measured.size(),
                pointsFile);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(90));
                AuditedJob audited = AuditedJob.start(System.out)) {
            TradeoffSweep sweep =
                    new TradeoffSweep(broker, audited, parameters, pointsFile, measured);
            int total = datasets.size() * settings.size() * seeds;
            int done = 0;
            for (int seed = 1; seed <= seeds; seed++) {
                for (String dataset : datasets) {
                    for (SweepSetting setting : settings) {
                        done++;
                        sweep.point(dataset, setting, seed, done + "/" + total);
                        new TradeoffReport(sweep.atBudget(), command)
                                .write(out, before + (System.nanoTime() - start) / 60e9);
                    }
                }
            }
            // Settle the fronts: their settings get seeds until each has --front-seeds.
            for (boolean more = true; more; ) {
                more = false;
                Map<String, List<String>> needing =
                        new TradeoffReport(sweep.atBudget(), command).frontNeedingSeeds();
                for (Map.Entry<String, List<String>> dataset : needing.entrySet()) {
                    for (String name : dataset.getValue()) {
                        int next = sweep.seedsOf(dataset.getKey(), name) + 1;
                        if (next <= frontSeeds && datasets.contains(dataset.getKey())) {
                            sweep.point(
                                    dataset.getKey(),
                                    SweepSetting.parse(name),
                                    next,
                                    "front seed " + next + "/" + frontSeeds);
                            new TradeoffReport(sweep.atBudget(), command)
                                    .write(out, before + (System.nanoTime() - start) / 60e9);
                            more = true;
                        }
                    }
                }
            }
        }
        say("Sweep done; report in %s", out.resolve("tradeoffs.md"));
        return pointsFile;
    }

    /** How this sweep's accuracy runs train: the budget, model and augmentation. */
    private static TradeoffPoint.Training training(ParameterTool parameters) {
        return new TradeoffPoint.Training(
                parameters.getInt("epochs", 5),
                parameters.getInt("train", 20_000),
                parameters.get("arch", "small-cnn") + "/" + parameters.get("augment", "none"));
    }

    /** The points trained as this sweep trains (the file may hold others). */
    private List<TradeoffPoint> atBudget() {
        return measured.stream().filter(p -> p.training().equals(training)).toList();
    }

    private int seedsOf(String dataset, String setting) {
        return (int)
                atBudget().stream()
                        .filter(p -> p.dataset().equals(dataset) && p.setting().equals(setting))
                        .count();
    }

    /** Measures one point unless the points file has it; appends it there. */
    private void point(String dataset, SweepSetting setting, int seed, String progress)
            throws Exception {
        if (measured.stream().anyMatch(p -> p.sameRunAs(dataset, setting.name(), seed, training))) {
            say(
                    "[%s] %s %s seed %d: measured before, skipped",
                    progress, dataset, setting.name(), seed);
            return;
        }
        say("[%s] %s %s seed %d", progress, dataset, setting.name(), seed);
        long start = System.nanoTime();
        AccuracyData images = AccuracyData.of(dataset);
        IdxDataset train = IdxDataset.read(data.resolve(images.folder), "train", trainSize);
        IdxDataset other = IdxDataset.read(data.resolve(images.other().folder), "train", 10_000);
        AccuracyBenchmark.Row row = AccuracyBenchmark.Row.of(setting);
        AccuracyReport.Run run =
                AccuracyBenchmark.run(
                        broker, row, seed, epochs, images, train, other, data, jobParameters);
        double accuracy = run.last();
        double attack = 1;
        double attackMax = 1;
        double oracle = 1;
        String encryptedBy = "clear";
        if (!setting.plain()) {
            SettingAudit audit =
                    SettingAudit.measure(
                            audited,
                            auditImages(images, row, seed),
                            setting.parameters(),
                            setting.t(),
                            fit);
            attack = audit.clustering().mean();
            attackMax = audit.clustering().max();
            oracle = audit.oracle().mean();
            encryptedBy = audit.throughJob() ? "job" : "encoder";
        }
        TradeoffPoint point =
                new TradeoffPoint(
                        dataset,
                        setting.name(),
                        seed,
                        epochs,
                        trainSize,
                        accuracy,
                        attack,
                        attackMax,
                        oracle,
                        encryptedBy,
                        (System.nanoTime() - start) / 60e9,
                        training.trainer());
        append(point);
        say(
                "  %s %s seed %d: accuracy %.2f %%, attack SSIM %.3f (max %.3f), oracle %.3f,"
                        + " %.1f min",
                dataset,
                setting.name(),
                seed,
                100 * accuracy,
                attack,
                attackMax,
                oracle,
                point.minutes());
    }

    /** The audit's private test images and the setting's pool, as the accuracy run used them. */
    private AuditImages auditImages(AccuracyData images, AccuracyBenchmark.Row row, int seed)
            throws IOException {
        ImageDataset pool =
                row.pool() == PoolSource.PHOTOS
                        ? AccuracyBenchmark.photoPatches(auditPool, jobParameters)
                        : IdxDataset.read(data.resolve(images.other().folder), "train", auditPool);
        return AuditImages.of(
                images.label,
                IdxDataset.read(data.resolve(images.folder), "t10k", 10_000),
                images.normalizer,
                auditImages,
                pool,
                AccuracyBenchmark.poolStatistics(row, images).normalizer,
                seed);
    }

    private void append(TradeoffPoint point) throws IOException {
        Files.createDirectories(points.toAbsolutePath().getParent());
        if (!Files.exists(points)) {
            Files.writeString(points, TradeoffPoint.HEADER + "\n", StandardCharsets.UTF_8);
        }
        Files.writeString(
                points, point.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        measured.add(point);
    }

    static List<TradeoffPoint> read(Path file) throws IOException {
        List<TradeoffPoint> points = new ArrayList<>();
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                if (!line.isBlank()) {
                    points.add(TradeoffPoint.parse(line));
                }
            }
        }
        return points;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
