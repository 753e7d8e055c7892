package io.instahide.trainer;

import io.instahide.clients.CliArgs;
import io.instahide.clients.IdxDataset;
import io.instahide.schemas.SchemeParameters;

import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

/**
 * Trains {@link SmallCnn} (or, with {@code --arch resnet}, {@link SmallResNet}) online on the
 * {@code encrypted-samples} topic, evaluates it on clean test images at intervals, saves it, and
 * commits the consumer offsets after each save, so that a restarted trainer resumes from its model
 * and from the next sample it has not trained on.
 *
 * <pre>trainer/train.sh --kafka.bootstrap-servers localhost:9092 --test-idx DIR [options]</pre>
 */
public final class OnlineTrainer {

    static final Set<String> OPTIONS =
            Set.of(
                    "kafka.bootstrap-servers",
                    "topic",
                    "group-id",
                    "test-idx",
                    "test-prefix",
                    "test-limit",
                    "model",
                    "batch",
                    "learning-rate",
                    "seed",
                    "arch",
                    "eval-every",
                    "max-samples",
                    "idle-timeout-s",
                    "schema-registry");

    private static final String HELP =
            String.join(
                    "\n",
                    "Trains a small CNN (or a small ResNet) on InstaHide-encrypted samples from"
                            + " Kafka (read_committed).",
                    "",
                    "  --kafka.bootstrap-servers HOST:PORT  (required)",
                    "  --topic NAME            encrypted samples (default encrypted-samples)",
                    "  --group-id ID           consumer group; offsets are committed after each"
                            + " save (default instahide-trainer)",
                    "  --test-idx DIR          clean test images in IDX format (required)",
                    "  --test-prefix P         IDX file prefix (default t10k)",
                    "  --test-limit N          test images used (default 10000)",
                    "  --model FILE            saved after each evaluation; resumed from when it"
                            + " exists (default trainer-model.zip)",
                    "  --batch N               minibatch size (default 64)",
                    "  --learning-rate X       Adam step size (default 0.001)",
                    "  --seed N                weight initialisation seed (default 1)",
                    "  --arch A                small-cnn (two convolutions) or resnet (a small"
                            + " residual network with batch normalisation; default small-cnn)",
                    "  --eval-every N          samples between evaluations and saves (default"
                            + " 10000)",
                    "  --max-samples N         stop after N samples; 0 trains until idle (default"
                            + " 0)",
                    "  --idle-timeout-s S      stop when no sample arrived for S seconds; 0 waits"
                            + " forever (default 0)",
                    "  --schema-registry URL   the job's kafka.schema-registry.url, to read its"
                            + " Confluent wire format (default: single-object records)",
                    "  --kafka.properties.NAME VALUE  extra consumer settings (security, SASL)",
                    "",
                    "Exit codes: 0 done, 2 bad usage, 1 failure.");

    private final CliArgs cli;
    private final PrintStream out;

    OnlineTrainer(CliArgs cli, PrintStream out) {
        this.cli = cli;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        CliArgs cli;
        try {
            cli = CliArgs.parse(args, OPTIONS, Set.of("help"));
            if (cli.has("help")) {
                out.println(HELP);
                return 0;
            }
            cli.require("kafka.bootstrap-servers");
            cli.require("test-idx");
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n\n" + HELP);
            return 2;
        }
        try {
            new OnlineTrainer(cli, out).train();
            return 0;
        } catch (IOException e) {
            System.err.println("Training failed: " + e.getMessage());
            return 1;
        }
    }

    /** What a run did: samples trained on in this run, and the last clean accuracy. */
    record Result(long samples, double accuracy, long skipped) {}

    Result train() throws IOException {
        int batch = cli.getInt("batch", 64);
        long maxSamples = cli.getInt("max-samples", 0);
        long evalEvery = cli.getInt("eval-every", 10_000);
        int idle = cli.getInt("idle-timeout-s", 0);
        Path model = Path.of(cli.get("model", "trainer-model.zip"));
        String architecture = cli.get("arch", "small-cnn");
        String saved = Files.exists(model) ? TrainerNetwork.savedArchitecture(model) : architecture;
        if (!saved.equals(architecture)) {
            throw new IOException(
                    String.format(
                            "%s holds a %s model, not --arch %s: pass that --arch or another"
                                    + " --model",
                            model, saved, architecture));
        }
        try (EncryptedSampleIterator samples =
                EncryptedSampleIterator.subscribe(
                        cli.require("kafka.bootstrap-servers"),
                        cli.get("topic", "encrypted-samples"),
                        cli.get("group-id", "instahide-trainer"),
                        cli.kafkaProperties(),
                        batch,
                        maxSamples > 0 ? maxSamples : Long.MAX_VALUE,
                        idle > 0 ? Duration.ofSeconds(idle) : Duration.ofDays(3650),
                        cli.get("schema-registry", null))) {
            out.println("Waiting for the first encrypted sample ...");
            SchemeParameters scheme =
                    samples.awaitScheme(
                            idle > 0 ? Duration.ofSeconds(idle) : Duration.ofDays(3650));
            if (scheme == null) {
                out.println("No samples arrived; nothing to train.");
                return new Result(0, Double.NaN, samples.skipped());
            }
            int[] shape = samples.shape();
            DataSet test = testSet(scheme, shape, samples.totalOutcomes());
            TrainerNetwork network = loadOrCreate(model, shape, samples.totalOutcomes());
            out.printf(
                    "Training on %s samples (k=%d, %d private, %s), %d classes; clean test set"
                            + " %d images%n",
                    Arrays.toString(shape),
                    scheme.getK(),
                    scheme.getPrivateSlots(),
                    scheme.getMasked() ? "masked" : "UNMASKED",
                    samples.totalOutcomes(),
                    test.numExamples());
            long done = 0;
            long nextEval = evalEvery;
            double accuracy = Double.NaN;
            long start = System.nanoTime();
            while (samples.hasNext()) {
                DataSet minibatch = samples.next();
                network.fit(minibatch);
                done += minibatch.numExamples();
                if (done >= nextEval || !samples.hasNext()) {
                    accuracy = network.accuracy(test);
                    save(network, model);
                    samples.commit();
                    out.printf(
                            "samples %,d  loss %.4f  clean accuracy %.4f  %,.0f samples/s"
                                    + "  skipped %d%n",
                            done,
                            network.score(),
                            accuracy,
                            done / ((System.nanoTime() - start) / 1e9),
                            samples.skipped());
                    nextEval = done + evalEvery;
                }
            }
            return new Result(done, accuracy, samples.skipped());
        }
    }

    private DataSet testSet(SchemeParameters scheme, int[] shape, int classes) throws IOException {
        IdxDataset images =
                IdxDataset.read(
                        Path.of(cli.get("test-idx", ".")),
                        cli.get("test-prefix", "t10k"),
                        cli.getInt("test-limit", 10_000));
        if (shape[0] != 1 || shape[1] != images.height() || shape[2] != images.width()) {
            throw new IOException(
                    String.format(
                            "The stream's samples are %s but the clean test images are 1x%dx%d:"
                                    + " give --test-idx a test set of the stream's shape",
                            Arrays.toString(shape), images.height(), images.width()));
        }
        return CleanImages.of(images, TrainerNormalization.of(scheme.getNormalization()), classes);
    }

    private TrainerNetwork loadOrCreate(Path model, int[] shape, int classes) throws IOException {
        if (Files.exists(model)) {
            TrainerNetwork network = TrainerNetwork.restore(model);
            out.printf("Resuming from %s (%,d iterations trained)%n", model, network.iterations());
            return network;
        }
        return TrainerNetwork.create(
                cli.get("arch", "small-cnn"),
                shape,
                classes,
                cli.getInt("seed", 1),
                cli.getDouble("learning-rate", 1e-3));
    }

    /** Writes next to the target and renames, so a crash never leaves a truncated model. */
    private static void save(TrainerNetwork network, Path model) throws IOException {
        Path absolute = model.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        network.save(partial);
        Files.move(
                partial,
                absolute,
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
