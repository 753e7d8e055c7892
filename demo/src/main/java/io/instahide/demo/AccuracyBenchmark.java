package io.instahide.demo;

import io.instahide.clients.IdxDataset;
import io.instahide.clients.ImageDataset;
import io.instahide.clients.PhotoPatches;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.Normalizer;
import io.instahide.embedded.EmbeddedKafkaBroker;
import io.instahide.job.InstaHideJob;
import io.instahide.job.config.JobConfig;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.util.ParameterTool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The accuracy benchmark: the same model (the Python trainer's small CNN) trained for the same
 * epochs on plain images, Mixup, InstaHide inside-dataset k = 4 and InstaHide cross-dataset k = 6
 * (2 private, the other image set as the public pool), each epoch on fresh encryptions, evaluated
 * on the clean test set. The private set is MNIST (pool: Fashion-MNIST) or, with {@code --private
 * fashion-mnist}, Fashion-MNIST (pool: MNIST). The InstaHide rows come through the real pipeline
 * (broker + job); plain and Mixup from the core encoder. All rows reach the trainer through Kafka.
 *
 * <pre>
 * demo/accuracy.sh [--private mnist] [--epochs 15] [--seeds 1]
 *                  [--rows plain,mixup,instahide-k4,instahide-cross-k6]   (also: instahide-k4-f16,
 *                  instahide-cross-k6-pool-norm: the other set's pool normalised with the private
 *                  set's statistics; instahide-cross-k6-photos: a pool of natural-photo patches)
 * </pre>
 *
 * <p>A row may carry its own number of seeds: {@code --rows plain:3,instahide-k4:3,mixup:1}.
 */
public final class AccuracyBenchmark {

    private static final Set<String> OWN =
            Set.of(
                    "epochs", "seeds", "rows", "data", "out", "train", "private", "python", "arch",
                    "augment");

    /**
     * One configuration: how its samples are made.
     *
     * @param jobOptions further job options of a pipeline row (e.g. its output pixel format)
     * @param pool the public pool of a cross-dataset row
     */
    record Row(
            String name,
            String label,
            InstaHideParameters parameters,
            boolean pipeline,
            Map<String, String> jobOptions,
            PoolSource pool) {

        /** A sweep setting as a row: through the job when masked, the core encoder if not. */
        static Row of(SweepSetting setting) {
            return new Row(
                    setting.name(),
                    setting.label(),
                    setting.parameters(),
                    setting.masked(),
                    setting.t() > 1
                            ? Map.of("instahide.encryptions-per-image", String.valueOf(setting.t()))
                            : Map.of(),
                    setting.pool() == null ? PoolSource.OTHER_SET : setting.pool());
        }

        int encryptionsPerImage() {
            return Integer.parseInt(
                    jobOptions.getOrDefault("instahide.encryptions-per-image", "1"));
        }

        Row(String name, String label, InstaHideParameters parameters, boolean pipeline) {
            this(name, label, parameters, pipeline, Map.of(), PoolSource.OTHER_SET);
        }

        Row(
                String name,
                String label,
                InstaHideParameters parameters,
                boolean pipeline,
                Map<String, String> jobOptions) {
            this(name, label, parameters, pipeline, jobOptions, PoolSource.OTHER_SET);
        }
    }

    private static final InstaHideParameters CROSS_K6 =
            InstaHideParameters.cross(
                    6, 2, InstaHideParameters.DEFAULT_UPPER, InstaHideParameters.DEFAULT_DOM);

    private static final List<Row> ROWS =
            List.of(
                    new Row(
                            "plain",
                            "plain (clean images)",
                            InstaHideParameters.inside(1, 1.0).unmasked(),
                            false),
                    new Row(
                            "mixup",
                            "Mixup k=4 (no mask)",
                            InstaHideParameters.inside(4, InstaHideParameters.DEFAULT_UPPER)
                                    .unmasked(),
                            false),
                    new Row(
                            "instahide-k4",
                            "InstaHide inside k=4",
                            InstaHideParameters.inside(4, InstaHideParameters.DEFAULT_UPPER),
                            true),
                    new Row(
                            "instahide-k4-f16",
                            "InstaHide inside k=4, float16 output",
                            InstaHideParameters.inside(4, InstaHideParameters.DEFAULT_UPPER),
                            true,
                            Map.of("output.pixel-format", "float16")),
                    new Row("instahide-cross-k6", "InstaHide cross k=6, 2 private", CROSS_K6, true),
                    new Row(
                            "instahide-cross-k6-pool-norm",
                            "InstaHide cross k=6, the other set's pool on the private statistics",
                            CROSS_K6,
                            true,
                            Map.of(),
                            PoolSource.OTHER_SET_PRIVATE_STATISTICS),
                    new Row(
                            "instahide-cross-k6-photos",
                            "InstaHide cross k=6, a pool of natural-photo patches",
                            CROSS_K6,
                            true,
                            Map.of(),
                            PoolSource.PHOTOS));

    public static void main(String[] args) throws Exception {
        ParameterTool parameters = ParameterTool.fromArgs(args);
        int epochs = parameters.getInt("epochs", 15);
        int seeds = parameters.getInt("seeds", 1);
        int trainSize = parameters.getInt("train", 60_000);
        Map<String, Integer> selected =
                seedsPerRow(
                        parameters.get("rows", "plain,mixup,instahide-k4,instahide-cross-k6"),
                        seeds);
        Path data = Path.of(parameters.get("data", ".cache/datasets"));
        Path out = Path.of(parameters.get("out", "docs"));
        AccuracyData images = AccuracyData.of(parameters.get("private", "mnist"));
        IdxDataset train = IdxDataset.read(data.resolve(images.folder), "train", trainSize);
        IdxDataset pool = IdxDataset.read(data.resolve(images.other().folder), "train", 10_000);
        List<AccuracyReport.Run> runs = new ArrayList<>();
        long start = System.nanoTime();
        Files.createDirectories(out);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(90))) {
            for (int seed = 1; seed <= mostSeeds(selected); seed++) {
                for (Row row : ROWS) {
                    if (seed <= selected.getOrDefault(row.name(), 0)) {
                        runs.add(
                                run(
                                        broker,
                                        row,
                                        seed,
                                        epochs,
                                        images,
                                        train,
                                        pool,
                                        data,
                                        parameters));
                        // After every run: an interrupted benchmark still leaves its results.
                        double minutes = (System.nanoTime() - start) / 60e9;
                        new AccuracyReport(
                                        images,
                                        epochs,
                                        String.join(" ", args),
                                        train.size(),
                                        minutes,
                                        runs)
                                .write(out);
                        say(
                                "Wrote %s and %s (%d runs, %.0f minutes so far)",
                                out.resolve(images.reportName() + ".md"),
                                out.resolve(images.reportName() + ".png"),
                                runs.size(),
                                minutes);
                    }
                }
            }
        }
        System.exit(0);
    }

    /** {@code "plain:3,mixup"} with 1 default seed: {plain=3, mixup=1}; unknown rows fail. */
    static Map<String, Integer> seedsPerRow(String rows, int defaultSeeds) {
        Map<String, Integer> seeds = new LinkedHashMap<>();
        Set<String> known = new HashSet<>();
        ROWS.forEach(row -> known.add(row.name()));
        for (String entry : rows.split(",")) {
            String[] parts = entry.trim().split(":");
            if (!known.contains(parts[0])) {
                throw new IllegalArgumentException(
                        "Unknown row '" + parts[0] + "'; rows are " + known);
            }
            seeds.put(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : defaultSeeds);
        }
        return seeds;
    }

    private static int mostSeeds(Map<String, Integer> seeds) {
        return seeds.values().stream().max(Integer::compare).orElse(0);
    }

    /** Trains on {@code row}'s samples for {@code epochs}; its clean accuracy after each. */
    static AccuracyReport.Run run(
            EmbeddedKafkaBroker broker,
            Row row,
            int seed,
            int epochs,
            AccuracyData images,
            IdxDataset train,
            IdxDataset pool,
            Path data,
            ParameterTool parameters)
            throws Exception {
        String name = images.folder + "-" + row.name() + "-" + seed;
        String samples = "accuracy-" + name;
        String bootstrap = broker.bootstrapServers();
        broker.createTopics(List.of(samples), 2, Map.of());
        say(
                "%s, seed %d: %s, %d epochs of %,d images",
                row.label(),
                seed,
                row.pipeline() ? "through the job" : "core encoder",
                epochs,
                train.size());
        long start = System.nanoTime();
        JobClient job = null;
        Thread feeder;
        if (row.pipeline()) {
            job = startJob(broker, row, name, samples, images, train, pool, parameters);
            feeder =
                    new Thread(
                            () ->
                                    publishEpochs(
                                            bootstrap, "accuracy-raw-" + name, train, epochs, seed),
                            "feeder-" + name);
        } else {
            feeder =
                    new Thread(
                            new EncoderFeeder(
                                    bootstrap,
                                    samples,
                                    train,
                                    row.parameters(),
                                    images.normalizer,
                                    epochs,
                                    seed),
                            "feeder-" + name);
        }
        feeder.setDaemon(true);
        feeder.start();
        double[] accuracy =
                train(
                        bootstrap,
                        samples,
                        name,
                        epochs,
                        train.size() * row.encryptionsPerImage(),
                        seed,
                        data.resolve(images.folder),
                        Path.of(parameters.get("python", "python")),
                        List.of(
                                "--arch",
                                parameters.get("arch", "small-cnn"),
                                "--augment",
                                parameters.get("augment", "none")));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (job != null) {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
        feeder.join(TimeUnit.MINUTES.toMillis(1));
        broker.admin().deleteTopics(List.of(samples)).all().get();
        say(
                "  done in %.1f min: clean accuracy %.2f%%",
                seconds / 60, 100 * accuracy[accuracy.length - 1]);
        return new AccuracyReport.Run(row.label(), seed, accuracy, seconds);
    }

    private static JobClient startJob(
            EmbeddedKafkaBroker broker,
            Row row,
            String name,
            String samples,
            AccuracyData images,
            IdxDataset train,
            IdxDataset pool,
            ParameterTool parameters)
            throws Exception {
        String raw = "accuracy-raw-" + name;
        String publicTopic = "accuracy-pool-" + name;
        broker.createTopics(List.of(raw, samples + "-dead"), 2, Map.of());
        broker.createTopics(List.of(publicTopic), 1, Map.of("cleanup.policy", "compact"));
        if (row.parameters().crossDataset()) {
            ImageDataset published =
                    row.pool() == PoolSource.PHOTOS ? photoPatches(pool.size(), parameters) : pool;
            PoolPublisher.publish(
                    broker.bootstrapServers(),
                    publicTopic,
                    published,
                    row.pool() == PoolSource.PHOTOS ? "photo-" : images.other().folder + "-");
            say(
                    "  pool: %,d images, mean |normalised value| %.3f (private set: %.3f)",
                    published.size(),
                    meanMagnitude(published, poolStatistics(row, images).normalizer),
                    meanMagnitude(train, images.normalizer));
        }
        Configuration options = MnistStream.jobOptions(parameters.toMap(), OWN, "2 s");
        options.setString("normalizer.private", images.normalizerOption);
        options.setString("normalizer.public", poolStatistics(row, images).normalizerOption);
        options.setString("kafka.bootstrap-servers", broker.bootstrapServers());
        options.setString("kafka.group-id", "accuracy-job-" + name); // not the trainer's group
        options.setString("kafka.transactional-id-prefix", "accuracy-" + name);
        options.setString("topic.raw-images", raw);
        options.setString("topic.public-images", publicTopic);
        options.setString("topic.encrypted-samples", samples);
        options.setString("topic.dead-letters", samples + "-dead");
        options.setString("instahide.k", String.valueOf(row.parameters().k()));
        options.setString(
                "instahide.private-slots", String.valueOf(row.parameters().privateSlots()));
        row.jobOptions().forEach(options::setString);
        Configuration flink = new Configuration();
        flink.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        flink.setString(
                "execution.checkpointing.dir",
                broker.directory().resolve("checkpoints-" + name).toUri().toString());
        return InstaHideJob.start(InstaHideJob.environment(flink), JobConfig.from(options));
    }

    /** The image set whose statistics normalise the row's pool. */
    static AccuracyData poolStatistics(Row row, AccuracyData images) {
        return row.pool() == PoolSource.OTHER_SET ? images.other() : images;
    }

    /** {@code count} grey patches of the shape of the image sets, cut from all ten photos. */
    static ImageDataset photoPatches(int count, ParameterTool parameters) throws IOException {
        List<String> photos = new ArrayList<>(HarnessWorkload.PRIVATE_PHOTOS);
        photos.addAll(HarnessWorkload.POOL_PHOTOS);
        return PhotoPatches.cut(
                Path.of(parameters.get("data", ".cache/datasets")).resolve("photos"),
                photos,
                new int[] {1, 28, 28},
                count,
                8,
                3);
    }

    /** The mean of |normalised value| over the first 1,000 images of {@code images}. */
    private static double meanMagnitude(ImageDataset images, Normalizer normalizer) {
        double sum = 0;
        long values = 0;
        for (int i = 0; i < Math.min(1000, images.size()); i++) {
            byte[] chw = images.image(i);
            int plane = chw.length / images.shape()[0];
            for (int v = 0; v < chw.length; v++) {
                sum += Math.abs(normalizer.normalize(v / plane, chw[v] & 0xFF));
                values++;
            }
        }
        return sum / values;
    }

    /**
     * Every training image once per epoch, in a new order each epoch, then a short tail so that the
     * last images still waiting for partners in the job are encrypted too.
     */
    private static void publishEpochs(
            String bootstrap, String topic, IdxDataset train, int epochs, int seed) {
        for (int epoch = 0; epoch <= epochs; epoch++) {
            IdxDataset order = train.shuffled(seed * 1000L + epoch);
            if (epoch == epochs) {
                order = order.head(1000);
            }
            new DeviceSimulator(bootstrap, topic, order, 8, 0, 0, false).run();
        }
    }

    /** Runs the Python trainer; returns the clean accuracy after each epoch. */
    private static double[] train(
            String bootstrap,
            String topic,
            String name,
            int epochs,
            int perEpoch,
            int seed,
            Path testImages,
            Path pythonPackage,
            List<String> architecture)
            throws Exception {
        Path work = Path.of("demo-output", "accuracy");
        Files.createDirectories(work);
        Path model = work.resolve(name + ".pt").toAbsolutePath();
        Files.deleteIfExists(model);
        List<String> command =
                new ArrayList<>(
                        List.of(
                                PythonTrainer.interpreter(),
                                "-m",
                                "instahide_stream.train",
                                "--bootstrap-servers",
                                bootstrap,
                                "--topic",
                                topic,
                                "--group-id",
                                "accuracy-" + name,
                                "--test-idx",
                                testImages.toAbsolutePath().toString(),
                                "--epochs",
                                String.valueOf(epochs),
                                "--samples-per-epoch",
                                String.valueOf(perEpoch),
                                "--seed",
                                String.valueOf(seed),
                                "--threads",
                                "2",
                                "--model",
                                model.toString(),
                                "--json"));
        command.addAll(architecture);
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(pythonPackage.toFile())
                        .redirectError(work.resolve(name + ".log").toFile());
        builder.environment().put("OMP_NUM_THREADS", "2");
        Process process = builder.start();
        double[] accuracy = new double[epochs];
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader lines =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode epoch = json.readTree(line);
                int e = epoch.get("epoch").asInt();
                accuracy[e - 1] = epoch.get("accuracy").asDouble();
                say(
                        "  epoch %2d/%d  clean accuracy %6.2f%%  loss %.4f  %,.0f samples/s",
                        e,
                        epochs,
                        100 * accuracy[e - 1],
                        epoch.get("loss").asDouble(),
                        epoch.get("samples").asDouble() / epoch.get("seconds").asDouble());
            }
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException(
                    "The trainer failed; see " + work.resolve(name + ".log"));
        }
        return accuracy;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
