package io.instahide.demo;

import io.instahide.core.ImageShape;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.Normalizer;
import io.instahide.job.config.JobConfig;
import io.instahide.job.encrypt.EncryptionSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The plain-script peer ({@code python -m instahide_stream.peer}): what a data engineer would write
 * instead of the job, one Python process per share of the raw topic's partitions, with the job's
 * scheme settings, pool topic and sink settings. The throughput harness measures the job against it
 * on the same broker and records.
 */
final class PythonPeer {

    /** The sink settings librdkafka understands under the same names as the Java producer. */
    private static final List<String> PRODUCER_KEYS =
            List.of("compression.type", "batch.size", "linger.ms");

    private final Path pythonPackage;

    PythonPeer(Path pythonPackage) {
        this.pythonPackage = pythonPackage;
    }

    /** Whether the interpreter has what the peer imports; why not, or null. */
    String unavailableBecause() throws InterruptedException {
        try {
            Process probe =
                    new ProcessBuilder(
                                    PythonTrainer.interpreter(),
                                    "-c",
                                    "import confluent_kafka, avro, numpy")
                            .redirectErrorStream(true)
                            .start();
            probe.getOutputStream().close();
            String output = new String(probe.getInputStream().readAllBytes());
            return probe.waitFor() == 0
                    ? null
                    : "its modules are missing (apt install python3-confluent-kafka python3-avro"
                            + " python3-numpy): "
                            + output.strip();
        } catch (IOException e) {
            return "no Python interpreter (" + e.getMessage() + ")";
        }
    }

    /**
     * Runs {@code processes} peers over {@code config}'s raw topic until its partitions are read to
     * their end, writing to {@code config}'s encrypted topic; fails with the log's end when a peer
     * fails.
     */
    void run(JobConfig config, int processes, Path logs) throws IOException, InterruptedException {
        Files.createDirectories(logs);
        List<Process> running = new ArrayList<>();
        List<Path> logFiles = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            Path log =
                    logs.resolve(config.topics().encrypted() + "-" + i + ".log").toAbsolutePath();
            logFiles.add(log);
            ProcessBuilder builder =
                    new ProcessBuilder(command(config, i, processes))
                            .directory(pythonPackage.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile());
            builder.environment().put("OMP_NUM_THREADS", "1");
            Process process = builder.start();
            process.getOutputStream().close();
            running.add(process);
        }
        for (int i = 0; i < processes; i++) {
            Process process = running.get(i);
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                running.forEach(Process::destroyForcibly);
                throw new IllegalStateException(
                        "The Python peer did not finish within 10 minutes: " + logFiles.get(i));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        "The Python peer failed ("
                                + logFiles.get(i)
                                + "):\n"
                                + Files.readString(logFiles.get(i)).strip());
            }
        }
    }

    List<String> command(JobConfig config, int instance, int instances) {
        EncryptionSettings encryption = config.encryption();
        InstaHideParameters scheme = encryption.parameters();
        ImageShape shape = encryption.shape();
        List<String> command =
                new ArrayList<>(
                        List.of(
                                PythonTrainer.interpreter(),
                                "-m",
                                "instahide_stream.peer",
                                "--bootstrap-servers",
                                config.kafka().bootstrapServers(),
                                "--raw-topic",
                                config.topics().rawImages(),
                                "--pool-topic",
                                config.topics().publicImages(),
                                "--output-topic",
                                config.topics().encrypted(),
                                "--group",
                                config.groupId(),
                                "--transactional-id",
                                config.transactionalIdPrefix() + "-" + instance,
                                "--instance",
                                String.valueOf(instance),
                                "--instances",
                                String.valueOf(instances),
                                "--shape",
                                shape.channels() + "x" + shape.height() + "x" + shape.width(),
                                "--classes",
                                String.valueOf(encryption.classes()),
                                "--k",
                                String.valueOf(scheme.k()),
                                "--private-slots",
                                String.valueOf(scheme.privateSlots()),
                                "--upper",
                                String.valueOf(scheme.upper()),
                                "--dom",
                                String.valueOf(scheme.crossDataset() ? scheme.dom() : 0.0),
                                "--encryptions-per-image",
                                String.valueOf(encryption.encryptionsPerImage()),
                                "--private-normalizer",
                                normalizer(encryption.privateNormalizer()),
                                "--public-normalizer",
                                normalizer(encryption.publicNormalizer()),
                                "--pixel-format",
                                encryption.pixelFormat().name().toLowerCase(Locale.ROOT),
                                "--reservoir-size",
                                String.valueOf(encryption.reservoirSize()),
                                "--strict",
                                "--commit-interval",
                                String.valueOf(config.checkpointInterval().toMillis() / 1000.0)));
        Properties sink = config.kafka().encryptedSinkProperties();
        for (String key : PRODUCER_KEYS) {
            if (sink.getProperty(key) != null) {
                command.add("--producer-property");
                command.add(key + "=" + sink.getProperty(key));
            }
        }
        return command;
    }

    /** {@code NAME:MEAN,..:STD,..}; SYMMETRIC ({@code byte/127.5 - 1}) as mean 0.5, std 0.5. */
    static String normalizer(Normalizer normalizer) {
        if (normalizer.isSymmetric()) {
            return normalizer.name() + ":0.5:0.5";
        }
        return normalizer.name() + ":" + csv(normalizer.mean()) + ":" + csv(normalizer.std());
    }

    private static String csv(float[] values) {
        return IntStream.range(0, values.length)
                .mapToObj(i -> Float.toString(values[i]))
                .collect(Collectors.joining(","));
    }
}
