package io.instahide.deploy;

import io.instahide.job.TestingKafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A standalone Flink session cluster as separate processes, started the way Flink's scripts start
 * one: a distribution folder ({@code lib/}, {@code plugins/}), a Flink 2 {@code config.yaml}, JVM
 * and memory flags computed by Flink's own {@code BashJavaUtils}, rolling log files. The JobManager
 * and every TaskManager are child JVMs; {@link #close()} and a shutdown hook stop them.
 */
final class StandaloneFlinkCluster implements AutoCloseable {

    private static final String JOB_MANAGER =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER =
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

    /**
     * The module flags of {@code env.java.opts.all} in the {@code config.yaml} that Flink's
     * distribution ships (Flink reflects into JDK internals on Java 17).
     */
    static final String JAVA_OPTS =
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED"
                    + " --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"
                    + " --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED"
                    + " --add-opens=java.base/java.lang=ALL-UNNAMED"
                    + " --add-opens=java.base/java.net=ALL-UNNAMED"
                    + " --add-opens=java.base/java.io=ALL-UNNAMED"
                    + " --add-opens=java.base/java.nio=ALL-UNNAMED"
                    + " --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
                    + " --add-opens=java.base/java.lang.reflect=ALL-UNNAMED"
                    + " --add-opens=java.base/java.text=ALL-UNNAMED"
                    + " --add-opens=java.base/java.time=ALL-UNNAMED"
                    + " --add-opens=java.base/java.util=ALL-UNNAMED"
                    + " --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
                    + " --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED"
                    + " --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED";

    private final Path home;
    private final Path work;
    private final Path conf;
    private final int restPort;
    private final List<String> extraJvmOptions;
    private final List<Process> processes = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::close, "flink-cluster-shutdown");
    private int taskManagers;

    private StandaloneFlinkCluster(
            Path home, Path work, int restPort, List<String> extraJvmOptions) {
        this.home = home;
        this.work = work;
        this.conf = work.resolve("conf");
        this.restPort = restPort;
        this.extraJvmOptions = extraJvmOptions;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Writes the configuration into {@code work/conf} and starts a JobManager. {@code settings} are
     * Flink options (flat keys) added to the cluster's {@code config.yaml}.
     */
    static StandaloneFlinkCluster start(
            Path home, Path work, Map<String, String> settings, List<String> extraJvmOptions)
            throws IOException {
        int restPort = freePort();
        StandaloneFlinkCluster cluster =
                new StandaloneFlinkCluster(home, work, restPort, extraJvmOptions);
        Files.createDirectories(cluster.conf);
        StringBuilder yaml = new StringBuilder();
        yaml.append("jobmanager.rpc.address: localhost\n")
                .append("jobmanager.rpc.port: ")
                .append(freePort())
                .append('\n')
                .append("jobmanager.bind-host: localhost\n")
                .append("taskmanager.bind-host: localhost\n")
                .append("taskmanager.host: localhost\n")
                .append("rest.address: localhost\n")
                .append("rest.bind-address: localhost\n")
                .append("rest.port: ")
                .append(restPort)
                .append('\n');
        yaml.append("env.java.opts.all: ").append(JAVA_OPTS).append('\n');
        settings.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
        Files.writeString(cluster.conf.resolve("config.yaml"), yaml.toString());
        Files.writeString(cluster.conf.resolve("log4j.properties"), ROLLING_LOG);
        cluster.launch("jobmanager", JOB_MANAGER, "GET_JM_RESOURCE_PARAMS", List.of());
        return cluster;
    }

    /**
     * Cluster settings for fault tests: small JVMs, failures noticed within seconds (1 s
     * heartbeats, 6 s timeout), many quick restarts, checkpoints under {@code work}, ND4J and JCuda
     * loaded parent-first from lib/, and the Prometheus reporter (its port per process).
     */
    static Map<String, String> faultTestSettings(Path work, int slots) {
        Map<String, String> settings = new HashMap<>();
        settings.put("taskmanager.numberOfTaskSlots", String.valueOf(slots));
        settings.put("parallelism.default", "2");
        settings.put("jobmanager.memory.process.size", "800m");
        settings.put("taskmanager.memory.process.size", "1200m");
        settings.put("taskmanager.memory.managed.size", "64m");
        settings.put("heartbeat.interval", "1000");
        settings.put("heartbeat.timeout", "6000");
        settings.put("restart-strategy.type", "fixed-delay");
        settings.put("restart-strategy.fixed-delay.attempts", "1000");
        settings.put("restart-strategy.fixed-delay.delay", "1 s");
        settings.put("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
        settings.put(
                "classloader.parent-first-patterns.additional", "org.nd4j.;org.bytedeco.;jcuda.");
        settings.put(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        settings.put("metrics.reporter.prom.port", String.valueOf(freePort()));
        return settings;
    }

    /**
     * The JVM flags of the cluster's processes for tests: the Vector API (as the Docker image's
     * TaskManagers have it) and the JavaCPP cache of the build.
     */
    static List<String> testJvmOptions(Path work) {
        return List.of(
                "--add-modules",
                "jdk.incubator.vector",
                "-Dorg.bytedeco.javacpp.cachedir="
                        + System.getProperty(
                                "instahide.javacpp.cachedir", work.resolve("javacpp").toString()));
    }

    String restUrl() {
        return "http://localhost:" + restPort;
    }

    /**
     * Starts one more TaskManager, with {@code settings} as dynamic properties (its Prometheus
     * port, for example).
     */
    Process startTaskManager(Map<String, String> settings) throws IOException {
        List<String> dynamic = new ArrayList<>();
        settings.forEach((key, value) -> dynamic.addAll(List.of("-D", key + "=" + value)));
        return launch(
                "taskmanager-" + taskManagers++, TASK_MANAGER, "GET_TM_RESOURCE_PARAMS", dynamic);
    }

    /** Kills a process at once (SIGKILL), as a crashed machine would. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for {@code done}; on a timeout the failure carries the tail of every process's log. */
    void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        try {
            TestingKafka.await(what, timeout, done);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + logTails(), e);
        }
    }

    /** The last lines of every process's log, for failure messages. */
    String logTails() {
        StringBuilder tails = new StringBuilder();
        try (var logs = Files.list(work)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                tails.append("==> ").append(log.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 30), lines.size())
                        .forEach(line -> tails.append(line).append('\n'));
            }
        } catch (IOException e) {
            tails.append("(logs unreadable: ").append(e.getMessage()).append(")");
        }
        return tails.toString();
    }

    private Process launch(String name, String mainClass, String resourceQuery, List<String> extra)
            throws IOException {
        List<String> resources = resourceParameters(resourceQuery, extra);
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(Arrays.asList(resources.get(0).trim().split("\\s+")));
        command.addAll(Arrays.asList(JAVA_OPTS.split(" ")));
        command.addAll(extraJvmOptions);
        command.add("-Dlog.file=" + work.resolve(name + ".log"));
        command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        command.addAll(List.of("-cp", home.resolve("lib") + "/*", mainClass));
        command.addAll(List.of("--configDir", conf.toString()));
        command.addAll(extra);
        command.addAll(Arrays.asList(resources.get(1).trim().split("\\s+")));
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(work.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(work.resolve(name + ".out").toFile());
        builder.environment().put("FLINK_PLUGINS_DIR", home.resolve("plugins").toString());
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        synchronized (processes) {
            processes.add(process);
        }
        return process;
    }

    /** JVM flags and dynamic memory properties, as {@code bin/taskmanager.sh} computes them. */
    private List<String> resourceParameters(String query, List<String> extra) throws IOException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                java(),
                                "-cp",
                                home.resolve("lib") + "/*",
                                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                                query,
                                "--configDir",
                                conf.toString()));
        command.addAll(extra);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String prefix = "BASH_JAVA_UTILS_EXEC_RESULT:";
        List<String> results =
                output.lines()
                        .filter(line -> line.startsWith(prefix))
                        .map(line -> line.substring(prefix.length()))
                        .toList();
        if (results.size() < 2) {
            throw new IllegalStateException(
                    "BashJavaUtils " + query + " gave no memory settings:\n" + output);
        }
        return results.subList(results.size() - 2, results.size());
    }

    @Override
    public void close() {
        synchronized (processes) {
            for (Process process : processes) {
                process.destroy();
            }
            for (Process process : processes) {
                try {
                    if (!process.waitFor(20, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            processes.clear();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down: this is the hook
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Log files of at most 10 MB, three kept: a broker that is down cannot fill the disk. */
    private static final String ROLLING_LOG =
            """
            rootLogger.level = INFO
            rootLogger.appenderRef.main.ref = MainAppender
            appender.main.name = MainAppender
            appender.main.type = RollingFile
            appender.main.append = true
            appender.main.fileName = ${sys:log.file}
            appender.main.filePattern = ${sys:log.file}.%i
            appender.main.layout.type = PatternLayout
            appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-50c{1.} - %m%n
            appender.main.policies.type = Policies
            appender.main.policies.size.type = SizeBasedTriggeringPolicy
            appender.main.policies.size.size = 10MB
            appender.main.strategy.type = DefaultRolloverStrategy
            appender.main.strategy.max = 3
            """;
}
