package io.instahide.demo;

import io.instahide.clients.IdxDataset;
import io.instahide.embedded.EmbeddedKafkaBroker;
import io.instahide.job.InstaHideJob;
import io.instahide.job.config.JobConfig;
import io.instahide.job.functions.PrivateImage;
import io.instahide.job.functions.ValidateImagesFunction;
import io.instahide.schemas.EncryptedSample;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * End-to-end throughput, encrypting job vs a pass-through job, on the same broker and the same
 * input records, in one invocation: both read the pre-published raw topic from the start with
 * exactly-once Kafka sinks and write records of the same size; the pass-through only skips the
 * mixing and masking. Rounds alternate the two to spread the noise of a shared machine.
 *
 * <pre>
 * demo/throughput.sh [--images 40000] [--passes 3] [--rounds 3] [--parallelism 2] [job options]
 * </pre>
 */
public final class ThroughputHarness {

    private static final Set<String> OWN =
            Set.of("images", "rounds", "passes", "parallelism", "data");

    /**
     * @param seconds from job submission to the last committed record (startup, pool, reading,
     *     work, commits)
     * @param steadySeconds from the first to the last committed record
     */
    private record Result(
            String mode, long records, long bytes, double seconds, double steadySeconds) {
        double recordsPerSecond() {
            return records / seconds;
        }

        double steadyRecordsPerSecond() {
            return records / steadySeconds;
        }

        double megabytesPerSecond() {
            return bytes / seconds / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        ParameterTool parameters = ParameterTool.fromArgs(args);
        int images = parameters.getInt("images", 40_000);
        int rounds = parameters.getInt("rounds", 3);
        int passes = parameters.getInt("passes", 3);
        int parallelism = parameters.getInt("parallelism", 2);
        Path data = Path.of(parameters.get("data", ".cache/datasets"));
        Configuration jobOptions = MnistStream.jobOptions(parameters.toMap(), OWN, "1 s");
        IdxDataset privates = IdxDataset.read(data.resolve("mnist"), "train", images);
        IdxDataset pool = IdxDataset.read(data.resolve("fashion-mnist"), "train", 10_000);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(90))) {
            String bootstrap = broker.bootstrapServers();
            MnistStream.prepare(broker, parallelism, pool);
            for (int pass = 0; pass < passes; pass++) {
                new DeviceSimulator(bootstrap, MnistStream.RAW, privates, 8, 0, 0, false).run();
            }
            long records = (long) images * passes;
            say(
                    "Published %,d records (%,d MNIST images x %d) and a pool of %,d;"
                            + " parallelism %d",
                    records, images, passes, pool.size(), parallelism);
            List<Result> results = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                for (String mode : List.of("pass-through", "encrypt")) {
                    String run = mode + "-" + round;
                    broker.createTopics(List.of(run, run + "-dead"), parallelism, Map.of());
                    Configuration options = new Configuration(jobOptions);
                    options.setString("kafka.bootstrap-servers", bootstrap);
                    options.setString("topic.encrypted-samples", run);
                    options.setString("topic.dead-letters", run + "-dead");
                    options.setString("kafka.group-id", "harness-" + run);
                    options.setString("kafka.transactional-id-prefix", "harness-" + run);
                    JobConfig config = JobConfig.from(options);
                    long expected = records * config.encryption().encryptionsPerImage();
                    Result result = measure(mode, config, parallelism, broker, expected);
                    results.add(result);
                    say(
                            "  round %d %-13s %,9.0f records/s  %7.1f MB/s  (%,d records in %.1f"
                                    + " s; %,.0f records/s from first to last commit)",
                            round,
                            mode,
                            result.recordsPerSecond(),
                            result.megabytesPerSecond(),
                            result.records(),
                            result.seconds(),
                            result.steadyRecordsPerSecond());
                }
            }
            report(results);
        }
        System.exit(0);
    }

    private static Result measure(
            String mode,
            JobConfig config,
            int parallelism,
            EmbeddedKafkaBroker broker,
            long expected)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        Configuration flink = new Configuration();
        flink.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        flink.setString(
                "execution.checkpointing.dir",
                broker.directory().resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = InstaHideJob.environment(flink);
        OutputMonitor monitor =
                new OutputMonitor(
                        bootstrap, config.topics().encrypted(), config.topics().deadLetters(), 0);
        Thread thread = new Thread(monitor, "monitor-" + mode);
        thread.setDaemon(true);
        thread.start();
        long submitted = System.nanoTime();
        JobClient job =
                mode.equals("encrypt")
                        ? InstaHideJob.start(env, config)
                        : startPassThrough(env, config);
        long deadline = submitted + TimeUnit.MINUTES.toNanos(10);
        while (monitor.encrypted.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(mode + ": outputs incomplete after 10 minutes");
            }
            Thread.sleep(50); // polling the monitor's count
        }
        job.cancel().get(1, TimeUnit.MINUTES);
        monitor.stop();
        thread.join();
        // From submission to the last committed record: startup, reading, work and commits.
        double seconds = (monitor.lastNanos - submitted) / 1e9;
        double steady = (monitor.lastNanos - monitor.firstNanos) / 1e9;
        return new Result(
                mode, monitor.encrypted.get(), monitor.encryptedBytes.get(), seconds, steady);
    }

    /** The same sources, validation and sink as the job, with no encryption in between. */
    private static JobClient startPassThrough(StreamExecutionEnvironment env, JobConfig config)
            throws Exception {
        InstaHideJob.configureCheckpointing(env, config);
        DataStream<PrivateImage> privates =
                InstaHideJob.sources(env, config)
                        .rawImages()
                        .process(
                                new ValidateImagesFunction(
                                        config.decoder(),
                                        config.encryption().classes(),
                                        config.encryption().keyEscrow()));
        privates.flatMap(new PassThroughFunction(config.encryption()))
                .returns(new AvroTypeInfo<>(EncryptedSample.class))
                .sinkTo(InstaHideJob.encryptedSink(config));
        return env.executeAsync("pass-through baseline");
    }

    private static void report(List<Result> results) {
        say("");
        compare(results, "from submission", Result::recordsPerSecond, "");
        compare(
                results,
                "first to last commit",
                Result::steadyRecordsPerSecond,
                " (excludes startup and pool loading)");
    }

    private static void compare(
            List<Result> results, String what, ToDoubleFunction<Result> rate, String note) {
        double pass = median(results, "pass-through", rate);
        double encrypt = median(results, "encrypt", rate);
        say(
                "Median, %s: pass-through %,.0f records/s, encrypt %,.0f records/s, ratio"
                        + " encrypt/pass-through %.2f%s",
                what, pass, encrypt, encrypt / pass, note);
    }

    private static double median(List<Result> results, String mode, ToDoubleFunction<Result> rate) {
        double[] rates =
                results.stream()
                        .filter(r -> r.mode().equals(mode))
                        .mapToDouble(rate)
                        .sorted()
                        .toArray();
        int n = rates.length;
        return n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
