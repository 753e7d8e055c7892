package io.instahide.demo;

import io.instahide.clients.IdxDataset;
import io.instahide.embedded.EmbeddedKafkaBroker;
import io.instahide.job.InstaHideJob;
import io.instahide.job.config.JobConfig;
import io.instahide.schemas.DeadLetterReason;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The quick start: a real Kafka broker (KRaft, child JVM) and a local Flink cluster in this JVM; a
 * Fashion-MNIST public pool, then MNIST images from simulated cameras; the InstaHide job encrypting
 * them; live progress; a summary with a before/after PNG.
 */
public final class EmbeddedDemo {

    private static final String ENCRYPTED = "encrypted-samples";
    private static final String DEAD_LETTERS = "dead-letters";
    private static final int SHOWN = 8;

    /** The exit status when the broker stopped under the demo. */
    static final int BROKER_STOPPED = 3;

    private final DemoOptions options;
    private Progress progress;

    /** The broker the demo runs on stopped: nothing can go on. */
    private static final class BrokerStoppedException extends IllegalStateException {
        BrokerStoppedException(String message) {
            super(message);
        }
    }

    EmbeddedDemo(DemoOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        if (DemoOptions.wantsHelp(args)) {
            System.out.println(DemoOptions.USAGE + "\n" + NEXT_STEPS);
            return;
        }
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage() + "\n\n" + DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        int status = new EmbeddedDemo(options).run();
        System.exit(status);
    }

    /** Set by the Ctrl-C hook. */
    private volatile boolean interrupted;

    /** Runs the demo; 0 when every record came out as expected. */
    int run() throws Exception {
        IdxDataset privates =
                IdxDataset.read(options.data().resolve("mnist"), "t10k", options.images());
        IdxDataset pool =
                IdxDataset.read(options.data().resolve("fashion-mnist"), "train", options.pool());
        say(
                "Read %,d MNIST images (private) and %,d Fashion-MNIST images (public pool)",
                privates.size(), pool.size());
        say("Starting a Kafka broker (KRaft, child JVM) ...");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(90))) {
            String bootstrap = broker.bootstrapServers();
            broker.createTopics(List.of(ENCRYPTED), options.parallelism(), Map.of());
            broker.createTopics(List.of(DEAD_LETTERS), 1, Map.of());
            MnistStream.prepare(broker, options.parallelism(), pool);
            say(
                    "Kafka on %s; topics %s, %s, %s, %s",
                    bootstrap, MnistStream.RAW, MnistStream.PUBLIC, ENCRYPTED, DEAD_LETTERS);
            say("Published %,d public images to %s", pool.size(), MnistStream.PUBLIC);

            Configuration jobOptions = new Configuration(options.job());
            jobOptions.setString("kafka.bootstrap-servers", bootstrap);
            JobConfig config = JobConfig.from(jobOptions);
            Path checkpoints = broker.directory().resolve("flink-checkpoints");
            StreamExecutionEnvironment env =
                    InstaHideJob.environment(flinkConfiguration(checkpoints));
            JobClient job = InstaHideJob.start(env, config);
            say(
                    "Flink job %s running locally, parallelism %d, k=%d (%d private), T=%d;"
                            + " Prometheus metrics on http://127.0.0.1:%s/metrics",
                    job.getJobID(),
                    options.parallelism(),
                    config.encryption().parameters().k(),
                    config.encryption().parameters().privateSlots(),
                    config.encryption().encryptionsPerImage(),
                    options.prometheusPorts().split("-")[0]);

            OutputMonitor monitor = new OutputMonitor(bootstrap, ENCRYPTED, DEAD_LETTERS, SHOWN);
            DeviceSimulator devices =
                    new DeviceSimulator(
                            bootstrap,
                            MnistStream.RAW,
                            privates,
                            options.devices(),
                            options.rate(),
                            options.badEvery(),
                            options.keepStreaming());
            progress = new Progress();
            Thread monitorThread = start(monitor, "output-monitor");
            Thread devicesThread = start(devices, "devices");
            CountDownLatch finished = new CountDownLatch(1);
            Thread onCtrlC =
                    new Thread(
                            () -> {
                                // Ctrl-C: every shutdown hook runs at once, the broker's too, so
                                // the main loop must not take the broker's end for a crash.
                                interrupted = true;
                                devices.stop();
                                try {
                                    finished.await(30, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            });
            Runtime.getRuntime().addShutdownHook(onCtrlC);
            try {
                int t = config.encryption().encryptionsPerImage();
                boolean complete;
                try {
                    complete = follow(job, devices, monitor, t, broker);
                } catch (BrokerStoppedException e) {
                    // The devices and the monitor would wait on a broker that is gone: leave
                    // them (daemon threads), stop the job and say what happened.
                    devices.stop();
                    System.err.println(e.getMessage());
                    try {
                        job.cancel().get(30, TimeUnit.SECONDS);
                    } catch (TimeoutException | ExecutionException cancelFailed) {
                        System.err.println(
                                "demo: the Flink job did not cancel cleanly without its broker: "
                                        + cancelFailed);
                    }
                    return BROKER_STOPPED;
                }
                if (interrupted) {
                    // The JVM is shutting down and the broker with it: report what came out
                    // and let the exit proceed (joining or cancelling would wait on Kafka).
                    job.cancel();
                    return summary(complete, devices, monitor, privates, t);
                }
                devices.stop();
                devicesThread.join();
                job.cancel().get(1, TimeUnit.MINUTES);
                monitor.stop();
                monitorThread.join();
                return summary(complete, devices, monitor, privates, t);
            } finally {
                finished.countDown();
            }
        }
    }

    /**
     * Prints progress each second until every record is out, the job fails, the broker stops, or
     * time runs out.
     */
    private boolean follow(
            JobClient job,
            DeviceSimulator devices,
            OutputMonitor monitor,
            int t,
            EmbeddedKafkaBroker broker)
            throws Exception {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        while (true) {
            Thread.sleep(1_000); // a progress tick, not a wait for a condition
            if (interrupted) {
                progress.end();
                return true; // Ctrl-C
            }
            if (!broker.isRunning()) {
                progress.end();
                throw new BrokerStoppedException(
                        "demo: the embedded Kafka broker stopped ("
                                + broker.exitReport()
                                + ")\ndemo: nothing more can be published or encrypted, so the"
                                + " demo stops here. Run demo/run.sh again; if the broker stops"
                                + " again, its log above says why (a full disk or a port taken"
                                + " by another program are the usual causes).");
            }
            JobStatus status = job.getJobStatus().get();
            progress.print(devices, monitor);
            if (status.isGloballyTerminalState()) {
                job.getJobExecutionResult().get(); // throws the job's failure
                throw new IllegalStateException("The job stopped unexpectedly: " + status);
            }
            boolean allOut =
                    devices.isDone()
                            && monitor.encrypted.get() >= devices.valid.get() * t
                            && monitor.deadLetters.get() >= devices.bad.get();
            if (allOut && !options.keepStreaming()) {
                progress.end();
                return true;
            }
            if (devices.isDone() && options.keepStreaming()) {
                progress.end();
                return true; // stopped with Ctrl-C
            }
            if (System.nanoTime() > deadline && !options.keepStreaming()) {
                progress.end();
                return false;
            }
        }
    }

    private int summary(
            boolean complete,
            DeviceSimulator devices,
            OutputMonitor monitor,
            IdxDataset privates,
            int t)
            throws Exception {
        List<byte[]> originals = new ArrayList<>();
        for (int i = 0; i < Math.min(SHOWN, privates.size()); i++) {
            originals.add(privates.image(i));
        }
        Path png = options.out().resolve("before-after.png");
        Montage.write(png, originals, privates.height(), privates.width(), monitor.samples());
        long valid = devices.valid.get();
        say("");
        say("Summary");
        say(
                "  published        %,d images (%,d valid, %,d bad)",
                valid + devices.bad.get(), valid, devices.bad.get());
        say(
                "  encrypted        %,d samples committed to %s (expected %,d = %,d x T=%d)",
                monitor.encrypted.get(), ENCRYPTED, valid * t, valid, t);
        Map<DeadLetterReason, Long> reasons = monitor.reasons();
        say("  dead letters     %,d in %s %s", monitor.deadLetters.get(), DEAD_LETTERS, reasons);
        say("  throughput       %s", progress.averageRate(monitor));
        say(
                "  images           %s (top: as published; bottom: as trainers see them)",
                png.toAbsolutePath());
        boolean exact =
                monitor.encrypted.get() == valid * t
                        && monitor.deadLetters.get() == devices.bad.get();
        if (!complete || (!options.keepStreaming() && !exact)) {
            say("  RESULT           INCOMPLETE: outputs do not match the input (see above)");
            return 1;
        }
        say(
                "  RESULT           every image encrypted exactly %d time(s), every bad record"
                        + " dead-lettered",
                t);
        say("");
        say(NEXT_STEPS);
        return 0;
    }

    private Configuration flinkConfiguration(Path checkpoints) {
        Configuration flink = new Configuration();
        flink.set(CoreOptions.DEFAULT_PARALLELISM, options.parallelism());
        flink.setString("metrics.reporter.live.factory.class", LiveMetrics.Factory.class.getName());
        flink.setString(
                "metrics.reporter.prom.factory.class",
                LoopbackPrometheusReporter.Factory.class.getName());
        flink.setString("metrics.reporter.prom.port", options.prometheusPorts());
        // A local tool listens on loopback only: Flink's RPC, BLOB and shuffle servers and its
        // REST endpoint bind every interface unless told otherwise.
        for (String host :
                List.of(
                        "jobmanager.bind-host",
                        "jobmanager.rpc.address",
                        "taskmanager.bind-host",
                        "taskmanager.host",
                        "rest.bind-address",
                        "rest.address")) {
            flink.setString(host, "127.0.0.1");
        }
        // Every subtask checkpoints its copy of the pool: more than the 5 MB of memory-backed
        // checkpoint storage; a cluster would point this at durable storage.
        flink.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        return flink;
    }

    private static Thread start(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** What to try after the demo; also the end of {@code --help}. */
    static final String NEXT_STEPS =
            """
Next steps
  train on the stream  demo/run.sh --keep-streaming, and while it runs, in another terminal:
                         cd python && /usr/bin/python3 -m instahide_stream.train \\
                           --bootstrap-servers <the Kafka address above> --test-idx ../.cache/datasets/mnist
                       or trainer/train.sh --kafka.bootstrap-servers <address> --test-idx .cache/datasets/mnist
  attack the output    audit/run.sh: the known attacks on what the job writes (docs/privacy.md)
  measure throughput   demo/throughput.sh --shape 3x32x32 (docs/performance.md)
  run it on a cluster  README, section Deploying to a Flink cluster""";

    static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
