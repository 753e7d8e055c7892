package io.instahide.audit;

import io.instahide.clients.CliArgs;
import io.instahide.core.InstaHideParameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The privacy audit (issue 6): encrypts private images with the product's encoder, runs the known
 * attacks on the output (Mixup vs InstaHide, k = 4 inside vs k = 6 with 2 private, T encryptions
 * per image, oracle grouping vs clustering) and writes {@code privacy.md} with image grids.
 *
 * <pre>
 * audit/run.sh [--data mnist,photos] [--t 1,5,10,50] [--images 100] [--pool 2000]
 *              [--iterations 300] [--learning-rate 0.05] [--out docs]
 * </pre>
 */
public final class PrivacyAudit {

    private static final Set<String> OPTIONS =
            Set.of(
                    "data",
                    "t",
                    "images",
                    "pool",
                    "iterations",
                    "learning-rate",
                    "out",
                    "datasets",
                    "source",
                    "job-t");
    private static final List<String> PRIVATE_PHOTOS =
            List.of("astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg");
    private static final List<String> POOL_PHOTOS =
            List.of(
                    "motorcycle_left.png",
                    "motorcycle_right.png",
                    "hubble_deep_field.jpg",
                    "ihc.png",
                    "retina.jpg",
                    "color.png");
    private static final String USAGE =
            "audit/run.sh [--data mnist,photos] [--t 1,5,10,50] [--images 100] [--pool 2000]\n"
                    + "             [--iterations 300] [--learning-rate 0.05] [--out docs]\n"
                    + "             [--datasets .cache/datasets] [--source encoder,job]"
                    + " [--job-t 1,5,50]\n"
                    + "Encrypts private images with the product's encoder (--source encoder) and"
                    + " with the real job on an embedded broker (--source job: its encrypted"
                    + " topic read back as a trainer reads it, ordered output as before and"
                    + " shuffled as now), runs the known attacks and an attack on the output's"
                    + " order, and writes OUT/privacy.md with image grids.";

    /** Images shown in the grids. */
    private static final int SHOWN = 10;

    private final PrintStream progress;
    private final Reconstruction.Fit fit;
    private final PrivacyReport report;
    private final Path out;
    private final long started = System.nanoTime();

    private PrivacyAudit(
            PrintStream progress, Reconstruction.Fit fit, PrivacyReport report, Path out) {
        this.progress = progress;
        this.fit = fit;
        this.report = report;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        CliArgs cli;
        try {
            cli = CliArgs.parse(args, OPTIONS, Set.of("help"));
        } catch (IllegalArgumentException e) {
            System.err.println("privacy-audit: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cli.has("help")) {
            System.out.println(USAGE);
            return;
        }
        int images = cli.getInt("images", 100);
        int poolSize = cli.getInt("pool", 2000);
        List<Integer> ts =
                cli.list("t").isEmpty()
                        ? List.of(1, 5, 10, 50)
                        : cli.list("t").stream().map(Integer::parseInt).toList();
        List<String> data = cli.has("data") ? cli.list("data") : List.of("mnist", "photos");
        Reconstruction.Fit fit =
                new Reconstruction.Fit(
                        cli.getInt("iterations", 300), cli.getDouble("learning-rate", 0.05));
        Path datasets = Path.of(cli.get("datasets", ".cache/datasets"));
        Path out = Path.of(cli.get("out", "docs"));
        String command = String.join(" ", "audit/run.sh", String.join(" ", args)).strip();
        String setup =
                String.format(
                        Locale.ROOT,
                        "Each configuration encrypts %d private images T times with the product's"
                                + " encoder (`InstaHideEncoder`, keys from the OS-seeded secure"
                                + " generator, upper = 0.65, dom = 0.3; private partners drawn from"
                                + " the same %d images, as the challenge did; public pool of %d"
                                + " images), then attacks the output. The attack fits the private"
                                + " images by Adam (%d steps, step size %s in normalised units) to"
                                + " the encryptions (Mixup: to e; InstaHide: to |e|). The oracle"
                                + " is told which private images each encryption mixes and their"
                                + " coefficients (an upper bound on attack power); clustering"
                                + " groups encryptions into clusters of at most T by the"
                                + " correlation of their absolute values and fits one image per"
                                + " cluster. SSIM: Gaussian window (σ = 1.5), [0, 1] pixels,"
                                + " mean and max over the private images as the challenge scored;"
                                + " an image without a reconstruction counts 0; under the mask"
                                + " each colour channel of a reconstruction counts as the better"
                                + " of itself and its negative (negating a channel of every image"
                                + " leaves every |e| unchanged).",
                        images,
                        images,
                        poolSize,
                        fit.iterations(),
                        fit.learningRate());
        PrivacyAudit audit =
                new PrivacyAudit(System.err, fit, new PrivacyReport(command, setup), out);
        List<String> sources = cli.has("source") ? cli.list("source") : List.of("encoder", "job");
        List<Integer> jobTs =
                cli.list("job-t").isEmpty()
                        ? List.of(1, 5, 50)
                        : cli.list("job-t").stream().map(Integer::parseInt).toList();
        List<AuditImages> sets = new ArrayList<>();
        for (String name : data) {
            AuditImages set =
                    switch (name) {
                        case "mnist" -> AuditImages.mnist(datasets, images, poolSize, 1);
                        case "photos" ->
                                AuditImages.photos(
                                        datasets.resolve("photos"),
                                        PRIVATE_PHOTOS,
                                        POOL_PHOTOS,
                                        images,
                                        poolSize,
                                        1);
                        default ->
                                throw new IllegalArgumentException(
                                        "--data: mnist or photos, not " + name);
                    };
            sets.add(set);
            if (sources.contains("encoder")) {
                audit.run(set, ts, name);
            }
        }
        if (sources.contains("job")) {
            try (AuditedJob job = AuditedJob.start(System.err)) {
                for (int i = 0; i < sets.size(); i++) {
                    audit.runJob(job, sets.get(i), jobTs, data.get(i));
                }
            }
        }
        audit.report.write(out.resolve("privacy.md"), audit.minutes(), true);
        System.err.printf(
                Locale.ROOT,
                "privacy-audit: done in %.1f minutes; report in %s%n",
                audit.minutes(),
                out.resolve("privacy.md"));
    }

    private void run(AuditImages images, List<Integer> ts, String name) throws IOException {
        List<InstaHideParameters> schemes =
                List.of(
                        InstaHideParameters.inside(4, InstaHideParameters.DEFAULT_UPPER),
                        InstaHideParameters.cross(
                                6,
                                2,
                                InstaHideParameters.DEFAULT_UPPER,
                                InstaHideParameters.DEFAULT_DOM));
        int largestT = ts.stream().mapToInt(Integer::intValue).max().orElse(1);
        List<double[][]> grid = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        grid.add(originals(images));
        captions.add("originals");
        for (InstaHideParameters scheme : schemes) {
            String schemeName =
                    scheme.crossDataset()
                            ? "k=" + scheme.k() + ", " + scheme.privateSlots() + " private"
                            : "k=" + scheme.k() + " inside";
            for (int t : ts) {
                for (boolean masked : new boolean[] {false, true}) {
                    long start = System.nanoTime();
                    EncryptedSet set =
                            EncryptedSet.encrypt(images, masked ? scheme : scheme.unmasked(), t);
                    double encryptSeconds = (System.nanoTime() - start) / 1e9;
                    for (boolean oracle : new boolean[] {true, false}) {
                        AuditRow row = attack(images, set, schemeName, oracle, encryptSeconds);
                        if (t == largestT && (masked || oracle)) {
                            grid.add(shown(row.leakage()));
                            captions.add(
                                    row.mode()
                                            + ", "
                                            + schemeName
                                            + ", T="
                                            + t
                                            + ", "
                                            + row.grouping());
                        }
                    }
                }
            }
        }
        writeGrid("privacy-" + name + ".png", images, images.name(), grid, captions);
    }

    /** Writes a grid of reconstructions and adds it, with what its rows show, to the report. */
    private void writeGrid(
            String file,
            AuditImages images,
            String title,
            List<double[][]> grid,
            List<String> captions)
            throws IOException {
        ImageGrid.write(out.resolve(file), grid, captions, images.shape(), 3);
        report.addGrid(
                file,
                title
                        + ", the first "
                        + SHOWN
                        + " private images; rows from the top: "
                        + String.join("; ", captions)
                        + ". A blank cell: no group was scored against that image.");
        report.write(out.resolve("privacy.md"), minutes(), false);
    }

    /**
     * The job-output rows: for each T, the real job with its output ordered (as before the shuffle)
     * and shuffled (now); the order attack on both, clustering and oracle on the shuffled output.
     */
    private void runJob(AuditedJob job, AuditImages images, List<Integer> ts, String name)
            throws Exception {
        InstaHideParameters scheme =
                InstaHideParameters.cross(
                        6, 2, InstaHideParameters.DEFAULT_UPPER, InstaHideParameters.DEFAULT_DOM);
        String schemeName = "k=6, 2 private";
        int largestT = ts.stream().mapToInt(Integer::intValue).max().orElse(1);
        List<double[][]> grid = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        grid.add(originals(images));
        captions.add("originals");
        for (int t : ts) {
            for (boolean shuffled : new boolean[] {false, true}) {
                long start = System.nanoTime();
                JobOutput output = job.run(images, scheme, t, shuffled);
                double jobSeconds = (System.nanoTime() - start) / 1e9;
                double[] neighbours = output.neighboursSharingTheirImage();
                OrderAttack.Grouping order = OrderAttack.best(output);
                int[] clusters =
                        shuffled
                                ? GreedyClustering.cluster(
                                        output.set().encryptions(),
                                        output.set().encryptionsPerImage())
                                : null;
                List<String> groupings = new ArrayList<>(List.of("order"));
                if (shuffled) {
                    groupings.addAll(List.of("clustering", "oracle"));
                }
                for (String grouping : groupings) {
                    long attackStart = System.nanoTime();
                    Reconstruction attack =
                            switch (grouping) {
                                case "order" ->
                                        Reconstruction.grouped(output.set(), order.labels(), fit);
                                case "clustering" ->
                                        Reconstruction.grouped(output.set(), clusters, fit);
                                default ->
                                        Reconstruction.oracle(
                                                output.set(), images.privates().size(), fit);
                            };
                    Leakage leakage = Leakage.score(images, attack, true);
                    String label =
                            grouping.equals("order") ? "order: " + order.strategy() : grouping;
                    JobOutputRow row =
                            new JobOutputRow(
                                    images.name(),
                                    schemeName,
                                    t,
                                    shuffled,
                                    label,
                                    attack.clusteringAccuracy(),
                                    switch (grouping) {
                                        case "order" -> order.chance();
                                        case "clustering" ->
                                                OrderAttack.chance(clusters, output.set().owners());
                                        default -> 1.0;
                                    },
                                    neighbours[0],
                                    neighbours[1],
                                    leakage,
                                    jobSeconds + (System.nanoTime() - attackStart) / 1e9);
                    report.add(row);
                    report.write(out.resolve("privacy.md"), minutes(), false);
                    progress.printf(
                            Locale.ROOT,
                            "privacy-audit: %-22s job output, T=%-3d %-16s %-48s grouping %.2f"
                                    + " (chance %.2f)  mean SSIM %.3f  max %.3f  (%.1f min in"
                                    + " all)%n",
                            images.name(),
                            t,
                            row.output(),
                            label,
                            row.groupingAccuracy(),
                            row.chanceAccuracy(),
                            leakage.mean(),
                            leakage.max(),
                            minutes());
                    if (t == largestT && !grouping.equals("oracle")) {
                        grid.add(shown(leakage));
                        captions.add(row.output() + ", T=" + t + ", " + label);
                    }
                }
            }
        }
        writeGrid(
                "privacy-job-output-" + name + ".png",
                images,
                images.name() + ", job output (k = 6 with 2 private)",
                grid,
                captions);
    }

    private AuditRow attack(
            AuditImages images,
            EncryptedSet set,
            String schemeName,
            boolean oracle,
            double encryptSeconds)
            throws IOException {
        long start = System.nanoTime();
        boolean masked = set.parameters().masked();
        Reconstruction attack =
                oracle
                        ? Reconstruction.oracle(set, images.privates().size(), fit)
                        : Reconstruction.clustered(set, fit);
        Leakage leakage = Leakage.score(images, attack, masked);
        AuditRow row =
                new AuditRow(
                        images.name(),
                        schemeName,
                        masked,
                        set.encryptionsPerImage(),
                        oracle ? "oracle" : "clustering",
                        leakage,
                        attack.clusteringAccuracy(),
                        encryptSeconds + (System.nanoTime() - start) / 1e9);
        report.add(row);
        report.write(out.resolve("privacy.md"), minutes(), false);
        progress.printf(
                Locale.ROOT,
                "privacy-audit: %-22s %-16s %-15s T=%-3d %-10s mean SSIM %.3f  max %.3f"
                        + "  (%.0f s, %.1f min in all)%n",
                images.name(),
                schemeName,
                row.mode(),
                row.encryptionsPerImage(),
                row.grouping(),
                leakage.mean(),
                leakage.max(),
                row.seconds(),
                minutes());
        return row;
    }

    private static double[][] originals(AuditImages images) {
        double[][] row = new double[SHOWN][];
        float[] normalised = new float[images.shape().size()];
        for (int i = 0; i < SHOWN; i++) {
            images.privates().copyNormalized(i, normalised, 0);
            row[i] =
                    Leakage.pixels(
                            Leakage.toDouble(normalised),
                            images.shape(),
                            images.privateNormalizer(),
                            1);
        }
        return row;
    }

    private static double[][] shown(Leakage leakage) {
        double[][] row = new double[SHOWN][];
        System.arraycopy(leakage.shown(), 0, row, 0, SHOWN);
        return row;
    }

    private double minutes() {
        return (System.nanoTime() - started) / 60e9;
    }
}
