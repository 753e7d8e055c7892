package io.instahide.demo;

import io.instahide.clients.KafkaClients;
import io.instahide.core.ImageShape;
import io.instahide.embedded.EmbeddedKafkaBroker;
import io.instahide.job.InstaHideJob;
import io.instahide.job.config.JobConfig;
import io.instahide.job.config.JobOptions;
import io.instahide.job.functions.PrivateImage;
import io.instahide.job.functions.ValidateImagesFunction;
import io.instahide.schemas.EncryptedSample;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * End-to-end throughput of the encrypting job, in one invocation on one embedded broker, against
 * three baselines measured in the same run: a pass-through job (same sources, validation and sink;
 * its records the same size and, with random signs, as incompressible as encryptions), the broker's
 * own ceiling (transactional producers with the sink's settings, no Flink) and the plain-script
 * Python peer a data engineer would write instead ({@link PythonPeer}: one process per raw
 * partition the job reads, the same scheme, pool and sink settings; left out with {@code --peer
 * false} or without its Python modules). Rounds alternate the jobs and the peer; round 1 warms the
 * JIT and is reported apart. Then the latency from a device's send to {@code read_committed}
 * visibility at each load of {@code --latency-loads} (fractions of the measured encrypt rate; half
 * of it by default), each halved again (up to {@code --latency-tries} runs) while the job does not
 * sustain it with the devices on the same machine. A light load beside the default one shows how
 * much of the latency is the commit path itself and how much is the machine being busy; each load
 * is measured at every output shuffle window of {@code --latency-windows} (the job's {@code
 * encrypt.shuffle-window} by default), with the anonymity sets the job reported, because the
 * shuffle empties its whole window at each checkpoint barrier and that checkpoint completes only
 * when all of it is on the broker: the window is what latency is traded against.
 *
 * <pre>
 * demo/throughput.sh [--shape 1x28x28|3x32x32|3x224x224] [--images N] [--passes 3] [--rounds 3]
 *                    [--parallelism 2] [--latency-seconds 30] [--latency-tries 3]
 *                    [--latency-loads 0.5[,0.1...]] [--latency-windows 64mb[,4mb,0...]]
 *                    [--peer true] [--python python] [job options]
 * </pre>
 */
public final class ThroughputHarness {

    private static final Set<String> OWN =
            Set.of(
                    "shape",
                    "images",
                    "rounds",
                    "passes",
                    "parallelism",
                    "data",
                    "latency-seconds",
                    "latency-tries",
                    "latency-loads",
                    "latency-windows",
                    "peer",
                    "python",
                    "report");
    private static final String PASS_THROUGH = "pass-through";
    private static final String ENCRYPT = "encrypt";
    private static final String PEER = "python-peer";
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    /**
     * @param seconds from job submission to the last committed record (startup, pool, reading,
     *     work, commits)
     * @param steadySeconds from the first to the last committed record
     */
    private record Result(
            String mode,
            int round,
            long records,
            long bytes,
            double seconds,
            double steadySeconds) {
        double recordsPerSecond() {
            return records / seconds;
        }

        double steadyRecordsPerSecond() {
            return records / steadySeconds;
        }

        double steadyMegabytesPerSecond() {
            return bytes / steadySeconds / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        run(args);
        System.exit(0);
    }

    /** Runs the harness; returns the summary it also writes to {@code --report}. */
    static String run(String[] args) throws Exception {
        ParameterTool parameters = ParameterTool.fromArgs(args);
        ImageShape shape = ImageShape.parse(parameters.get("shape", "1x28x28"));
        int images = parameters.getInt("images", HarnessWorkload.defaultImages(shape));
        int rounds = parameters.getInt("rounds", 3);
        int passes = parameters.getInt("passes", 3);
        int parallelism = parameters.getInt("parallelism", 2);
        int latencySeconds = parameters.getInt("latency-seconds", 30);
        int latencyTries = parameters.getInt("latency-tries", 3);
        List<Double> latencyLoads = loads(parameters.get("latency-loads", "0.5"));
        Path data = Path.of(parameters.get("data", ".cache/datasets"));
        PythonPeer peer = new PythonPeer(Path.of(parameters.get("python", "python")));
        String noPeer =
                parameters.getBoolean("peer", true) ? peer.unavailableBecause() : "--peer false";
        Path report = Path.of(parameters.get("report", "demo-output/throughput-" + shape + ".md"));
        Configuration jobOptions =
                MnistStream.jobOptions(
                        parameters.toMap(), OWN, CHECKPOINT_INTERVAL.toSeconds() + " s");
        HarnessWorkload workload = HarnessWorkload.load(shape, images, data, jobOptions);
        List<MemorySize> latencyWindows =
                windows(
                        parameters.get(
                                "latency-windows",
                                jobOptions.get(JobOptions.SHUFFLE_WINDOW).toString()));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(90))) {
            String bootstrap = broker.bootstrapServers();
            MnistStream.prepare(broker, parallelism, workload.pool(), workload.poolPrefix());
            for (int pass = 0; pass < passes; pass++) {
                new DeviceSimulator(bootstrap, MnistStream.RAW, workload.privates(), 8, 0, 0, false)
                        .run();
            }
            long records = (long) workload.privates().size() * passes;
            say(
                    "Shape %s: %s; published %,d records (x%d passes); parallelism %d",
                    shape, workload.description(), records, passes, parallelism);
            if (noPeer != null) {
                say("  (the plain-script Python peer is left out: %s)", noPeer);
            }
            List<String> modes =
                    noPeer == null
                            ? List.of(PASS_THROUGH, ENCRYPT, PEER)
                            : List.of(PASS_THROUGH, ENCRYPT);
            List<Result> results = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                for (String mode : modes) {
                    String run = mode + "-" + round;
                    JobConfig config = config(workload, bootstrap, run, MnistStream.RAW);
                    broker.createTopics(List.of(run, run + "-dead"), parallelism, Map.of());
                    long expected = records * config.encryption().encryptionsPerImage();
                    Result result =
                            mode.equals(PEER)
                                    ? measurePeer(
                                            peer, round, config, parallelism, broker, expected)
                                    : measure(mode, round, config, parallelism, broker, expected);
                    results.add(result);
                    say(
                            "  round %d %-13s %,9.0f records/s %7.1f MB/s steady  (%,9.0f"
                                    + " records/s from submission)%s",
                            round,
                            mode,
                            result.steadyRecordsPerSecond(),
                            result.steadyMegabytesPerSecond(),
                            result.recordsPerSecond(),
                            round == 1 && rounds > 1 ? "  [JIT warm-up]" : "");
                }
            }
            List<Result> warm =
                    rounds > 1 ? results.stream().filter(r -> r.round() > 1).toList() : results;
            Result encryptRun = warm.get(warm.size() - 1);
            JobConfig sinkConfig = config(workload, bootstrap, "ceiling", MnistStream.RAW);
            broker.createTopics(List.of("ceiling"), parallelism, Map.of());
            ProducerCeiling.Result ceiling =
                    ProducerCeiling.measure(
                            bootstrap,
                            sinkConfig.kafka().encryptedSinkProperties(),
                            "ceiling",
                            parallelism,
                            parallelism,
                            (int) (encryptRun.bytes() / encryptRun.records()),
                            encryptRun.records(),
                            CHECKPOINT_INTERVAL);
            say(
                    "  broker ceiling     %,9.0f records/s %7.1f MB/s  (%d transactional"
                            + " producers, %,d-byte records, the sink's settings)",
                    ceiling.recordsPerSecond(),
                    ceiling.megabytesPerSecond(),
                    parallelism,
                    encryptRun.bytes() / encryptRun.records());
            double encryptRate = median(warm, ENCRYPT, Result::steadyRecordsPerSecond);
            List<LatencyRun> latency = new ArrayList<>();
            for (double load : latencySeconds > 0 ? latencyLoads : List.<Double>of()) {
                for (MemorySize window : latencyWindows) {
                    latency.addAll(
                            latencyAt(
                                    workload.withShuffleWindow(window),
                                    broker,
                                    parallelism,
                                    encryptRate * load,
                                    latencySeconds,
                                    latencyTries,
                                    latency.size()));
                }
            }
            String summary = summary(shape, workload, warm, ceiling, latency, rounds, parallelism);
            say("%n%s", summary);
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, summary);
            say("Written to %s", report);
            return summary;
        }
    }

    /**
     * Latency runs from {@code rate} down, halving it while the job does not sustain it, at most
     * {@code tries} runs; their topics are numbered on from {@code runsBefore}.
     */
    private static List<LatencyRun> latencyAt(
            HarnessWorkload workload,
            EmbeddedKafkaBroker broker,
            int parallelism,
            double rate,
            int seconds,
            int tries,
            int runsBefore)
            throws Exception {
        List<LatencyRun> runs = new ArrayList<>();
        for (double target = rate; runs.size() < tries; target /= 2) {
            LatencyRun attempt =
                    measureLatency(
                            workload,
                            broker,
                            parallelism,
                            "latency-" + (runsBefore + runs.size() + 1),
                            target,
                            seconds);
            runs.add(attempt);
            if (!attempt.queueGrew(CHECKPOINT_INTERVAL)) {
                break;
            }
            say(
                    "  the queue grew (median %,d ms in the first tenth, %,d ms in the last): not"
                            + " sustained, %s",
                    attempt.firstTenthMedian(),
                    attempt.lastTenthMedian(),
                    runs.size() < tries ? "halving the rate" : "giving up");
        }
        return runs;
    }

    /** {@code --latency-loads}: fractions of the encrypt rate in (0, 1], comma-separated. */
    static List<Double> loads(String option) {
        return listOption(
                option,
                "--latency-loads takes fractions of the encrypt rate in (0, 1], e.g. 0.5,0.1",
                part -> {
                    double load = Double.parseDouble(part);
                    if (!(load > 0 && load <= 1)) {
                        throw new IllegalArgumentException("not in (0, 1]: " + load);
                    }
                    return load;
                });
    }

    /**
     * {@code --latency-windows}: output shuffle windows ({@code encrypt.shuffle-window} sizes, 0
     * for none), comma-separated.
     */
    static List<MemorySize> windows(String option) {
        return listOption(
                option,
                "--latency-windows takes output shuffle window sizes, e.g. 64mb,4mb,0",
                MemorySize::parse);
    }

    /**
     * A comma-separated option, each part parsed by {@code parse}, which rejects a part with an
     * {@link IllegalArgumentException}; the message then says what the option {@code expects}.
     */
    private static <T> List<T> listOption(
            String option, String expects, Function<String, T> parse) {
        List<T> values = new ArrayList<>();
        for (String part : option.split(",")) {
            String value = part.strip();
            try {
                values.add(parse.apply(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(expects + "; got '" + value + "'", e);
            }
        }
        return values;
    }

    private static JobConfig config(
            HarnessWorkload workload, String bootstrap, String run, String rawTopic) {
        Configuration options = new Configuration(workload.jobOptions());
        options.setString("kafka.bootstrap-servers", bootstrap);
        options.setString("topic.raw-images", rawTopic);
        options.setString("topic.encrypted-samples", run);
        options.setString("topic.dead-letters", run + "-dead");
        options.setString("kafka.group-id", "harness-" + run);
        options.setString("kafka.transactional-id-prefix", "harness-" + run);
        return JobConfig.from(options);
    }

    private static Result measure(
            String mode,
            int round,
            JobConfig config,
            int parallelism,
            EmbeddedKafkaBroker broker,
            long expected)
            throws Exception {
        OutputMonitor monitor = monitor(broker, config);
        long submitted = System.nanoTime();
        JobClient job = start(mode, config, parallelism, broker);
        awaitOutputs(mode, monitor, expected);
        job.cancel().get(1, TimeUnit.MINUTES);
        monitor.stop();
        return result(mode, round, monitor, submitted);
    }

    /** What {@code monitor} counted, timed from {@code startedNanos} and from its first sample. */
    private static Result result(String mode, int round, OutputMonitor monitor, long startedNanos) {
        return new Result(
                mode,
                round,
                monitor.encrypted.get(),
                monitor.encryptedBytes.get(),
                (monitor.lastNanos - startedNanos) / 1e9,
                (monitor.lastNanos - monitor.firstNanos) / 1e9);
    }

    /**
     * The plain-script peer, one Python process per raw partition the job's parallelism reads,
     * measured as the jobs are; its first samples are decoded with the job's own codec (the monitor
     * fails on a record the schema rejects) and checked against the stream's shape.
     */
    private static Result measurePeer(
            PythonPeer peer,
            int round,
            JobConfig config,
            int parallelism,
            EmbeddedKafkaBroker broker,
            long expected)
            throws Exception {
        OutputMonitor monitor = monitor(broker, config, 8);
        long started = System.nanoTime();
        peer.run(config, parallelism, Path.of("demo-output", "peer"));
        awaitOutputs(PEER, monitor, expected);
        monitor.stop();
        ImageShape shape = config.encryption().shape();
        for (EncryptedSample sample : monitor.samples()) {
            if (sample.getChannels() != shape.channels()
                    || sample.getHeight() != shape.height()
                    || sample.getWidth() != shape.width()
                    || sample.getSoftLabel().size() != config.encryption().classes()) {
                throw new IllegalStateException("The Python peer wrote a wrong sample: " + sample);
            }
        }
        return result(PEER, round, monitor, started);
    }

    private static OutputMonitor monitor(EmbeddedKafkaBroker broker, JobConfig config) {
        return monitor(broker, config, 0);
    }

    private static OutputMonitor monitor(EmbeddedKafkaBroker broker, JobConfig config, int keep) {
        OutputMonitor monitor =
                new OutputMonitor(
                        broker.bootstrapServers(),
                        config.topics().encrypted(),
                        config.topics().deadLetters(),
                        keep);
        Thread thread = new Thread(monitor, "monitor-" + config.topics().encrypted());
        thread.setDaemon(true);
        thread.start();
        return monitor;
    }

    private static JobClient start(
            String mode, JobConfig config, int parallelism, EmbeddedKafkaBroker broker)
            throws Exception {
        return start(mode, config, parallelism, broker, new Configuration());
    }

    private static JobClient start(
            String mode,
            JobConfig config,
            int parallelism,
            EmbeddedKafkaBroker broker,
            Configuration cluster)
            throws Exception {
        Configuration flink = new Configuration(cluster);
        flink.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        flink.setString(
                "execution.checkpointing.dir",
                broker.directory().resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = InstaHideJob.environment(flink);
        return mode.equals(ENCRYPT)
                ? InstaHideJob.start(env, config)
                : startPassThrough(env, config);
    }

    private static void awaitOutputs(String what, OutputMonitor monitor, long expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (monitor.encrypted.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": outputs incomplete after 10 minutes");
            }
            Thread.sleep(50); // polling the monitor's count
        }
    }

    /**
     * Devices publish at {@code rate} while the encrypting job runs: first for a warm-up of 10 s,
     * waited for until all of it is committed (startup, pool loading and JIT leave no backlog),
     * then for {@code seconds} more, which are measured. The n-th sample to become readable is
     * matched with the n-th record sent (samples carry nothing that links them to their image, by
     * design), so each latency is that of a first-in-first-out stream of the same throughput.
     * Flink's own checkpoint statistics come from its REST API on loopback.
     */
    private static LatencyRun measureLatency(
            HarnessWorkload workload,
            EmbeddedKafkaBroker broker,
            int parallelism,
            String run,
            double rate,
            int seconds)
            throws Exception {
        String raw = run + "-raw";
        broker.createTopics(List.of(raw), parallelism, Map.of());
        JobConfig config = config(workload, broker.bootstrapServers(), run, raw);
        broker.createTopics(List.of(run, run + "-dead"), parallelism, Map.of());
        OutputMonitor monitor = monitor(broker, config).timingEverySample();
        int restPort = freeLoopbackPort();
        Configuration cluster = new Configuration();
        cluster.setString("rest.bind-address", "127.0.0.1");
        cluster.setString("rest.address", "127.0.0.1");
        cluster.setString("rest.bind-port", Integer.toString(restPort));
        JobClient job = start(ENCRYPT, config, parallelism, broker, cluster);
        int t = config.encryption().encryptionsPerImage();
        int warmUp = 10;
        MemorySize window = workload.jobOptions().get(JobOptions.SHUFFLE_WINDOW);
        say(
                "  latency: %,.0f records/s, output shuffle window %s, %d s of warm-up, then %d s"
                        + " measured ...",
                rate, window, warmUp, seconds);
        long warmRecords = publish(broker, raw, workload, rate, (long) (rate * warmUp));
        awaitOutputs(run + " warm-up", monitor, warmRecords * t);
        long measuredFrom = System.nanoTime();
        long measured = publish(broker, raw, workload, rate, (long) (rate * seconds));
        double sendSeconds = (System.nanoTime() - measuredFrom) / 1e9;
        awaitOutputs(run, monitor, (warmRecords + measured) * t);
        FlinkRest rest = new FlinkRest(URI.create("http://127.0.0.1:" + restPort));
        CheckpointStatistics checkpoints = CheckpointStatistics.fetch(rest, job.getJobID());
        Optional<AnonymitySet> anonymity =
                window.getBytes() > 0
                        ? AnonymitySet.fetch(rest, job.getJobID(), Duration.ofSeconds(30))
                        : Optional.empty();
        job.cancel().get(1, TimeUnit.MINUTES);
        monitor.stop();
        long[] sent = sendTimes(broker.bootstrapServers(), raw);
        long[] visible = monitor.visibilityMillis();
        Arrays.sort(visible);
        long[] latencies =
                IntStream.range((int) (warmRecords * t), Math.min(visible.length, sent.length * t))
                        .mapToLong(j -> visible[j] - sent[j / t])
                        .toArray();
        return new LatencyRun(
                rate, measured / sendSeconds, window, anonymity, latencies, checkpoints);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Devices send about {@code count} records at {@code rate}; returns how many they sent. */
    private static long publish(
            EmbeddedKafkaBroker broker,
            String topic,
            HarnessWorkload workload,
            double rate,
            long count)
            throws InterruptedException {
        DeviceSimulator devices =
                new DeviceSimulator(
                        broker.bootstrapServers(), topic, workload.privates(), 8, rate, 0, true);
        Thread publishing = new Thread(devices, "latency-devices");
        publishing.start();
        while (devices.valid.get() < count) {
            Thread.sleep(20); // polling the devices' count
        }
        devices.stop();
        publishing.join();
        return devices.valid.get();
    }

    private static long[] sendTimes(String bootstrap, String topic) {
        List<Long> times = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(bootstrap, Map.of())) {
            KafkaClients.readToEnd(consumer, topic, record -> times.add(record.timestamp()));
        }
        return times.stream().mapToLong(Long::longValue).sorted().toArray();
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

    private static String summary(
            ImageShape shape,
            HarnessWorkload workload,
            List<Result> warm,
            ProducerCeiling.Result ceiling,
            List<LatencyRun> latency,
            int rounds,
            int parallelism) {
        double pass = median(warm, PASS_THROUGH, Result::steadyRecordsPerSecond);
        double encrypt = median(warm, ENCRYPT, Result::steadyRecordsPerSecond);
        double passMb = median(warm, PASS_THROUGH, Result::steadyMegabytesPerSecond);
        double encryptMb = median(warm, ENCRYPT, Result::steadyMegabytesPerSecond);
        StringBuilder text = new StringBuilder();
        text.append(
                String.format(
                        "Shape %s (%s), medians of %s, first to last commit:%n%n",
                        shape,
                        workload.description(),
                        rounds > 1
                                ? "rounds 2.." + rounds + " (round 1: JIT warm-up)"
                                : "1 round"));
        text.append("| | records/s | MB/s | encrypt / this |\n| --- | ---: | ---: | ---: |\n");
        text.append(String.format("| encrypt | %,.0f | %.1f | |%n", encrypt, encryptMb));
        text.append(
                String.format(
                        "| pass-through (random signs) | %,.0f | %.1f | %.2f |%n",
                        pass, passMb, encrypt / pass));
        text.append(
                String.format(
                        "| broker ceiling (producers alone) | %,.0f | %.1f | %.2f |%n",
                        ceiling.recordsPerSecond(),
                        ceiling.megabytesPerSecond(),
                        encryptMb / ceiling.megabytesPerSecond()));
        if (warm.stream().anyMatch(r -> r.mode().equals(PEER))) {
            text.append(
                    String.format(
                            "| plain-script Python peer (%d processes) | %,.0f | %.1f | %.2f |%n",
                            parallelism,
                            median(warm, PEER, Result::steadyRecordsPerSecond),
                            median(warm, PEER, Result::steadyMegabytesPerSecond),
                            encrypt / median(warm, PEER, Result::steadyRecordsPerSecond)));
        }
        for (LatencyRun run : latency) {
            if (run.fifoMillis().length == 0) {
                continue;
            }
            text.append(
                    String.format(
                            "%nLatency, device send to read_committed visibility, devices at"
                                    + " %,.0f records/s (%.2f of the encrypt rate; %,.0f"
                                    + " achieved), output shuffle window %s, %,d samples after"
                                    + " warm-up, checkpoints every %d s: p50 %d ms, p99 %d ms,"
                                    + " max %d ms; median %,d ms in the first tenth, %,d ms in the"
                                    + " last%s%n",
                            run.targetRate(),
                            run.targetRate() / encrypt,
                            run.achievedRate(),
                            windowAndSets(run),
                            run.fifoMillis().length,
                            CHECKPOINT_INTERVAL.toSeconds(),
                            run.percentile(0.50),
                            run.percentile(0.99),
                            run.max(),
                            run.firstTenthMedian(),
                            run.lastTenthMedian(),
                            run.queueGrew(CHECKPOINT_INTERVAL)
                                    ? " (the queue grew: not sustained)"
                                    : ""));
            text.append(
                    String.format(
                            "Flink's checkpoints in that run: %d completed, end-to-end p50 %d ms,"
                                    + " p99 %d ms; the latest, task by task (slowest subtask):%n",
                            run.checkpoints().completed(),
                            run.checkpoints().p50Millis(),
                            run.checkpoints().p99Millis()));
            for (CheckpointStatistics.Task task : run.checkpoints().latest()) {
                text.append("- ").append(task).append('\n');
            }
        }
        if (latency.stream().anyMatch(run -> run.fifoMillis().length > 0)) {
            text.append(latencyTable(latency, encrypt));
        }
        return text.toString();
    }

    /**
     * The latency runs side by side: what each load and output shuffle window gave, and the
     * checkpoints that carried each window to the broker.
     */
    private static String latencyTable(List<LatencyRun> latency, double encrypt) {
        StringBuilder table =
                new StringBuilder(
                        String.format(
                                "%n| load | output shuffle window (anonymity sets) | p50 | p99 |"
                                        + " checkpoints end-to-end p50 / p99 | sustained |%n"
                                        + "| ---: | --- | ---: | ---: | ---: | --- |%n"));
        for (LatencyRun run : latency) {
            if (run.fifoMillis().length == 0) {
                continue;
            }
            table.append(
                    String.format(
                            "| %.2f | %s | %,d ms | %,d ms | %,d / %,d ms | %s |%n",
                            run.targetRate() / encrypt,
                            windowAndSets(run),
                            run.percentile(0.50),
                            run.percentile(0.99),
                            run.checkpoints().p50Millis(),
                            run.checkpoints().p99Millis(),
                            run.queueGrew(CHECKPOINT_INTERVAL) ? "no" : "yes"));
        }
        return table.toString();
    }

    private static String windowAndSets(LatencyRun run) {
        if (run.window().getBytes() == 0) {
            return "0 (no shuffle)";
        }
        return run.window().toString()
                + " ("
                + run.anonymitySets().map(AnonymitySet::toString).orElse("none reported")
                + ")";
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
