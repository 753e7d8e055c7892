package io.instahide.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running in a child JVM
 * started from Kafka's own jars on this JVM's class path, listening on free loopback ports, with
 * its data in a temporary directory. {@link #close()} stops it and deletes the data; a shutdown
 * hook does the same on exit, and the child exits by itself if this process dies. For fault tests
 * it can be {@linkplain #kill() killed} (SIGKILL, data kept) and {@linkplain #restart restarted} on
 * the same port and data directory, as an operator restarts a crashed broker.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Path directory;
    private final Path config;
    private final BrokerSecurity security;
    private final int port;
    private final Thread shutdownHook;
    private volatile Process process;
    private volatile boolean closed;

    private EmbeddedKafkaBroker(
            Path directory, Path config, BrokerSecurity security, int port, Process process) {
        this.directory = directory;
        this.config = config;
        this.security = security;
        this.port = port;
        this.process = process;
        this.shutdownHook = new Thread(this::stop, "embedded-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a broker and waits until it answers, or fails with the broker's log in the message.
     */
    public static EmbeddedKafkaBroker start(Duration timeout) {
        return start(timeout, null);
    }

    /**
     * Starts a broker that accepts only TLS with SASL/SCRAM ({@code SASL_SSL}, SCRAM-SHA-256) from
     * {@code users}, with a certificate and passwords generated for this run ({@link #security()});
     * waits until it answers.
     */
    public static EmbeddedKafkaBroker startSecured(Duration timeout, List<String> users) {
        return start(timeout, users);
    }

    private static EmbeddedKafkaBroker start(Duration timeout, List<String> users) {
        try {
            Path directory = Files.createTempDirectory("instahide-kafka-");
            int port = freePort();
            int controllerPort = freePort();
            BrokerSecurity security =
                    users == null ? null : BrokerSecurity.generate(directory, users);
            Path config = directory.resolve("server.properties");
            Files.writeString(config, serverProperties(directory, port, controllerPort, security));
            format(directory, config, security);
            EmbeddedKafkaBroker broker =
                    new EmbeddedKafkaBroker(
                            directory, config, security, port, launch(directory, config));
            broker.awaitReady(timeout);
            LOG.info("Kafka broker ready at {} (data in {})", broker.bootstrapServers(), directory);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded Kafka broker", e);
        }
    }

    private static Process launch(Path directory, Path config) throws IOException {
        return java(directory, "broker.log", BrokerProcessMain.class.getName(), config.toString());
    }

    /**
     * Kills the broker process at once (SIGKILL), as a crashed machine would: no controlled
     * shutdown, open transactions left to the coordinator's recovery. Its data directory stays.
     */
    public void kill() {
        Process running = process;
        running.destroyForcibly();
        try {
            if (!running.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The Kafka broker did not die within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing the Kafka broker", e);
        }
        LOG.info("Kafka broker at {} killed", bootstrapServers());
    }

    /**
     * Starts the broker again, after {@link #kill()} or a crash, on the same port and with the same
     * data directory (so clients reconnect to the address they know and every committed record is
     * still there), and waits until it answers.
     *
     * @throws IllegalStateException if it is still running, closed, or does not come back
     */
    public void restart(Duration timeout) {
        if (closed) {
            throw new IllegalStateException("The Kafka broker was closed");
        }
        if (process.isAlive()) {
            throw new IllegalStateException("The Kafka broker is still running");
        }
        try {
            process = launch(directory, config);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not restart the embedded Kafka broker", e);
        }
        awaitReady(timeout);
        LOG.info("Kafka broker restarted at {}", bootstrapServers());
    }

    /** Where the broker keeps its data and log; deleted on {@link #close()}. */
    public Path directory() {
        return directory;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Why the broker is not running: its exit code and the last lines of its log. */
    public String exitReport() {
        return (process.isAlive() ? "still running" : "exit code " + process.exitValue())
                + "; last lines of "
                + directory.resolve("broker.log")
                + ":\n"
                + logTail();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The TLS and SCRAM material of a {@linkplain #startSecured secured} broker. */
    public Optional<BrokerSecurity> security() {
        return Optional.ofNullable(security);
    }

    /** Creates topics (ignoring ones that exist); {@code config} applies to all of them. */
    public void createTopics(List<String> names, int partitions, Map<String, String> config) {
        try (Admin admin = admin()) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                topics.add(new NewTopic(name, partitions, (short) 1).configs(config));
            }
            admin.createTopics(topics)
                    .values()
                    .forEach((name, future) -> awaitCreated(name, future));
        }
    }

    private static void awaitCreated(
            String name, org.apache.kafka.common.KafkaFuture<Void> future) {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + name, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topic " + name, e);
        }
    }

    public Admin admin() {
        return Admin.create(adminProperties());
    }

    /** Admin client settings: the broker's own user on a secured broker. */
    private Properties adminProperties() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (security != null) {
            properties.putAll(security.clientProperties(BrokerSecurity.BROKER_USER));
        }
        return properties;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteRecursively(directory);
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "The Kafka broker exited with code "
                                + process.exitValue()
                                + ":\n"
                                + logTail());
            }
            Properties properties = adminProperties();
            properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
            properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
            try (Admin admin = Admin.create(properties)) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
            }
        }
        close();
        throw new IllegalStateException(
                "The Kafka broker did not answer within "
                        + timeout
                        + ": "
                        + last
                        + "\n"
                        + logTail());
    }

    private String logTail() {
        try {
            List<String> lines =
                    Files.readAllLines(directory.resolve("broker.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no broker log: " + e.getMessage() + ")";
        }
    }

    private static void format(Path directory, Path config, BrokerSecurity security)
            throws IOException {
        List<String> arguments =
                new ArrayList<>(
                        List.of(
                                "format",
                                "-t",
                                Uuid.randomUuid().toString(),
                                "-c",
                                config.toString()));
        if (security != null) {
            arguments.addAll(security.formatArguments());
        }
        Process format =
                java(
                        directory,
                        "format.log",
                        "kafka.tools.StorageTool",
                        arguments.toArray(String[]::new));
        try {
            format.getOutputStream().close();
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException(
                        "Formatting Kafka storage failed:\n"
                                + Files.readString(directory.resolve("format.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while formatting Kafka storage", e);
        }
    }

    private static Process java(Path directory, String log, String mainClass, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve(log).toFile()));
        return builder.start();
    }

    private static String serverProperties(
            Path directory, int port, int controllerPort, BrokerSecurity security) {
        List<String> listeners =
                security != null
                        ? security.brokerProperties(port, controllerPort)
                        : List.of(
                                "listeners=PLAINTEXT://127.0.0.1:"
                                        + port
                                        + ",CONTROLLER://127.0.0.1:"
                                        + controllerPort,
                                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                                "inter.broker.listener.name=PLAINTEXT",
                                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        return String.join("\n", listeners)
                + "\n"
                + String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                        "controller.listener.names=CONTROLLER",
                        "log.dirs=" + directory.resolve("data"),
                        "num.partitions=2",
                        "auto.create.topics.enable=false",
                        "offsets.topic.replication.factor=1",
                        "offsets.topic.num.partitions=4",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "transaction.state.log.num.partitions=4",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        "log.segment.bytes=67108864",
                        "message.max.bytes=16777216",
                        "");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket =
                new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", root, e.getMessage());
        }
    }
}
