package io.instahide.deploy;

import io.instahide.clients.KafkaClients;
import io.instahide.embedded.BrokerSecurity;
import io.instahide.embedded.EmbeddedKafkaBroker;
import io.instahide.job.TestingKafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole product through a Kafka broker that speaks only TLS with SASL/SCRAM-SHA-256
 * (certificate and passwords generated for this run), each part as a user runs it, in its own
 * process, configured with its documented options only: {@code build-pool} and {@code
 * publish-images} ({@code --kafka.properties.*}), the job ({@code InstaHideJob}'s main, {@code
 * --kafka.properties.*}), the DL4J online trainer ({@code --kafka.properties.*}) and the Python
 * consumer ({@code EncryptedSampleDataset(consumer_config=...)}), each as its own SCRAM user. A
 * device without credentials is refused and says so.
 */
class SecuredKafkaITCase {

    private static final int IMAGES = 200;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir Path work;

    @Test
    void jobToolsAndBothTrainersWorkThroughTlsAndScram() throws Exception {
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.startSecured(
                        Duration.ofSeconds(90), List.of("job", "camera", "pool", "trainer"))) {
            BrokerSecurity security = broker.security().orElseThrow();
            String bootstrap = broker.bootstrapServers();
            broker.createTopics(List.of("raw-images", "encrypted-samples"), 2, Map.of());
            broker.createTopics(List.of("dead-letters"), 1, Map.of());
            broker.createTopics(List.of("public-images"), 1, Map.of("cleanup.policy", "compact"));
            Path idx = Files.createDirectories(work.resolve("idx"));
            writeIdx(idx, "train", IMAGES, 1);
            writeIdx(idx, "pool", 20, 2);
            writeIdx(idx, "t10k", 100, 3);

            Run pool =
                    ingest(
                            "build-pool",
                            "io.instahide.ingest.BuildPublicPool",
                            bootstrap,
                            idx,
                            "pool",
                            kafkaOptions(security.clientProperties("pool")));
            assertThat(pool.exitCode()).as(pool.output()).isZero();

            Process job =
                    start(
                            "job",
                            "io.instahide.job.InstaHideJob",
                            join(
                                    List.of(
                                            "--kafka.bootstrap-servers", bootstrap,
                                            "--image.shape", "1x28x28",
                                            "--normalizer.private", "mnist",
                                            "--normalizer.public", "mnist",
                                            "--job.checkpoint-interval", "1 s",
                                            "--encrypt.batch-latency", "50 ms"),
                                    kafkaOptions(security.clientProperties("job"))));
            try {
                Run camera =
                        publishImages(
                                "publish-images",
                                bootstrap,
                                idx,
                                join(
                                        List.of("--device-id", "camera-1"),
                                        kafkaOptions(security.clientProperties("camera"))));
                assertThat(camera.exitCode()).as(camera.output()).isZero();
                assertThat(camera.output()).contains("Published " + IMAGES + " images");

                Map<String, String> trainer = security.clientProperties("trainer");
                TestingKafka.await(
                        "every image encrypted, read through TLS and SCRAM",
                        TIMEOUT,
                        () -> !job.isAlive() || committed(bootstrap, trainer) >= IMAGES);
                assertThat(job.isAlive()).as(log("job")).isTrue();

                Run dl4j =
                        run(
                                "dl4j-trainer",
                                "io.instahide.trainer.OnlineTrainer",
                                join(
                                        List.of(
                                                "--kafka.bootstrap-servers",
                                                bootstrap,
                                                "--group-id",
                                                "dl4j",
                                                "--test-idx",
                                                idx.toString(),
                                                "--model",
                                                work.resolve("model.zip").toString(),
                                                "--max-samples",
                                                String.valueOf(IMAGES),
                                                "--eval-every",
                                                "100",
                                                "--idle-timeout-s",
                                                "30"),
                                        kafkaOptions(trainer)));
                assertThat(dl4j.exitCode()).as(dl4j.output()).isZero();
                assertThat(work.resolve("model.zip")).as("the trained model").isRegularFile();

                Run torch =
                        python(
                                bootstrap,
                                security.librdkafkaProperties("trainer", BrokerSecurity.MECHANISM),
                                security.librdkafkaProperties("trainer", BrokerSecurity.PLAIN));
                assertThat(torch.exitCode()).as(torch.output()).isZero();
                assertThat(torch.output()).contains("samples " + IMAGES);

                Map<String, String> noCredentials =
                        new HashMap<>(security.clientProperties("camera"));
                noCredentials.keySet().removeIf(key -> key.startsWith("sasl."));
                noCredentials.put("security.protocol", "SSL");
                noCredentials.put("max.block.ms", "5000");
                Run refused =
                        publishImages(
                                "publish-images-without-credentials",
                                bootstrap,
                                idx,
                                join(List.of("--limit", "1"), kafkaOptions(noCredentials)));
                assertThat(refused.exitCode()).as(refused.output()).isNotZero();
                assertThat(refused.output()).contains("publish-images:");
                assertThat(committed(bootstrap, trainer))
                        .as("nothing more arrived")
                        .isEqualTo(IMAGES);
            } finally {
                job.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code publish-images} of the training IDX at the stream's shape, with {@code options}. */
    private Run publishImages(String name, String bootstrap, Path idx, List<String> options)
            throws Exception {
        return ingest(name, "io.instahide.ingest.PublishImages", bootstrap, idx, "train", options);
    }

    /** An ingest tool reading the IDX files {@code prefix} at the stream's shape. */
    private Run ingest(
            String name,
            String mainClass,
            String bootstrap,
            Path idx,
            String prefix,
            List<String> options)
            throws Exception {
        return run(
                name,
                mainClass,
                join(
                        List.of(
                                "--kafka.bootstrap-servers",
                                bootstrap,
                                "--shape",
                                "1x28x28",
                                "--idx",
                                idx.toString(),
                                "--prefix",
                                prefix),
                        options));
    }

    /** A child JVM's exit code and its output. */
    record Run(int exitCode, String output) {}

    private Run run(String name, String mainClass, List<String> arguments) throws Exception {
        Process process = start(name, mainClass, arguments);
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(
                    name + " did not finish within " + TIMEOUT + ":\n" + log(name));
        }
        return new Run(process.exitValue(), log(name));
    }

    private Process start(String name, String mainClass, List<String> arguments)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(List.of(StandaloneFlinkCluster.JAVA_OPTS.split(" ")));
        command.addAll(StandaloneFlinkCluster.testJvmOptions(work));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(arguments);
        return new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile())
                .start();
    }

    private String log(String name) {
        try {
            return Files.readString(work.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * Counts the samples with {@code EncryptedSampleDataset}, as a PyTorch trainer reads them: with
     * SCRAM where librdkafka can (2.6.1 and later), else with PLAIN over the same TLS.
     */
    private Run python(String bootstrap, Map<String, String> scram, Map<String, String> plain)
            throws Exception {
        String script =
                String.join(
                        "\n",
                        "import json, os, confluent_kafka",
                        "from instahide_stream.dataset import EncryptedSampleDataset",
                        "version = confluent_kafka.libversion()[1]",
                        "scram = version >= 0x020601ff",
                        "config = json.loads(os.environ['SCRAM' if scram else 'PLAIN'])",
                        "print('librdkafka', confluent_kafka.libversion()[0],"
                                + " 'SCRAM' if scram else 'PLAIN over TLS')",
                        "samples = EncryptedSampleDataset(os.environ['BOOTSTRAP'],"
                                + " group_id='torch',",
                        "    max_samples="
                                + IMAGES
                                + ", idle_timeout_s=30, consumer_config=config)",
                        "print('samples', sum(1 for _ in samples))");
        ProcessBuilder builder =
                new ProcessBuilder(PythonInterpreter.path(), "-c", script)
                        .directory(work.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(work.resolve("python.log").toFile());
        builder.environment()
                .put("PYTHONPATH", PythonInterpreter.repository().resolve("python").toString());
        builder.environment().put("BOOTSTRAP", bootstrap);
        builder.environment().put("SCRAM", new ObjectMapper().writeValueAsString(scram));
        builder.environment().put("PLAIN", new ObjectMapper().writeValueAsString(plain));
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the Python consumer did not finish:\n" + log("python"));
        }
        return new Run(process.exitValue(), log("python"));
    }

    private static long committed(String bootstrap, Map<String, String> client) {
        Map<String, String> properties = new HashMap<>(client);
        properties.put("isolation.level", "read_committed");
        long[] count = new long[1];
        try (KafkaConsumer<byte[], byte[]> consumer =
                KafkaClients.consumer(bootstrap, properties)) {
            KafkaClients.readToEnd(consumer, "encrypted-samples", r -> count[0]++);
        }
        return count[0];
    }

    /**
     * Client settings as the tools' and the job's {@code --kafka.properties.NAME VALUE} options.
     */
    private static List<String> kafkaOptions(Map<String, String> properties) {
        List<String> options = new ArrayList<>();
        properties.forEach(
                (key, value) -> {
                    options.add("--kafka.properties." + key);
                    options.add(value);
                });
        return options;
    }

    private static List<String> join(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** An MNIST-layout IDX pair of {@code count} 28×28 images in 10 classes. */
    private static void writeIdx(Path directory, String prefix, int count, long seed)
            throws IOException {
        Random random = new Random(seed);
        try (DataOutputStream images = open(directory, prefix + "-images-idx3-ubyte");
                DataOutputStream labels = open(directory, prefix + "-labels-idx1-ubyte")) {
            images.writeInt(0x00000803);
            images.writeInt(count);
            images.writeInt(28);
            images.writeInt(28);
            labels.writeInt(0x00000801);
            labels.writeInt(count);
            for (int i = 0; i < count; i++) {
                byte[] pixels = new byte[28 * 28];
                random.nextBytes(pixels);
                images.write(pixels);
                labels.writeByte(i % 10);
            }
        }
    }

    private static DataOutputStream open(Path directory, String name) throws IOException {
        OutputStream out = Files.newOutputStream(directory.resolve(name));
        return new DataOutputStream(new java.io.BufferedOutputStream(out));
    }
}
