package io.instahide.deploy;

import io.instahide.clients.image.TestingImageBombs;
import io.instahide.core.Normalizer;
import io.instahide.embedded.EmbeddedKafkaBroker;
import io.instahide.job.TestingKafka;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.codec.RecordDecodeException;
import io.instahide.schemas.codec.SingleObjectCodec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job on a real standalone Flink cluster: JobManager and TaskManagers as separate JVMs (lib/
 * assembled from Flink's Maven artifacts, ND4J and JCuda in lib/ loaded parent-first, the slim job
 * jar submitted over REST), a Kafka broker process. A TaskManager is killed mid-stream and
 * replaced; the output must still hold every input exactly once. Then the job is stopped with a
 * savepoint and resumed from it: the public pool must come back from the savepoint (its topic is
 * not re-read), visible in the Prometheus reporter's {@code poolSize}.
 *
 * <p>Audit configuration: cross-dataset k = 2 with one private slot and a one-image pool of known
 * pixels, so that an output's pixels reveal which input it encrypted (λ0 is the soft label's sum;
 * pixels are positive, so the mask drops out of |enc|). Production parameters never allow this.
 */
class StandaloneClusterITCase {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int POOL_BYTE = 200;
    private static final Normalizer NORMALIZER = Normalizer.symmetric();

    private static EmbeddedKafkaBroker broker;
    private static TestingKafka kafka;

    @TempDir Path work;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(90));
        kafka = new TestingKafka(broker);
        broker.createTopics(List.of("raw-images", "encrypted-samples"), 2, Map.of());
        broker.createTopics(List.of("dead-letters"), 1, Map.of());
        broker.createTopics(List.of("public-images"), 1, Map.of("cleanup.policy", "compact"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void exactlyOnceAcrossATaskManagerCrashAndThePoolSurvivesASavepoint() throws Exception {
        Path home = Path.of(System.getProperty("instahide.flink.home", "target/flink"));
        Path jar = Path.of(System.getProperty("instahide.job.jar", ""));
        assertThat(home.resolve("lib"))
                .as("Flink's lib/ is assembled by `mvn package` in docker/")
                .isDirectory();
        assertThat(jar).as("the slim job jar: build the job module first").isRegularFile();
        Path savepoints = Files.createDirectories(work.resolve("savepoints"));
        Map<String, String> settings = StandaloneFlinkCluster.faultTestSettings(work, 2);
        settings.put("restart-strategy.fixed-delay.attempts", "20");
        int jobManagerPrometheus = Integer.parseInt(settings.get("metrics.reporter.prom.port"));
        List<String> jvm = StandaloneFlinkCluster.testJvmOptions(work);
        kafka.send("public-images", "pool-0", SingleObjectCodec.publicImages().encode(pool()));

        try (StandaloneFlinkCluster cluster =
                StandaloneFlinkCluster.start(home, work, settings, jvm)) {
            FlinkRest rest = new FlinkRest(cluster.restUrl());
            int firstPrometheus = StandaloneFlinkCluster.freePort();
            Process taskManager =
                    cluster.startTaskManager(
                            Map.of("metrics.reporter.prom.port", String.valueOf(firstPrometheus)));
            cluster.await("a TaskManager registered", TIMEOUT, () -> rest.taskManagers() == 1);
            String jarId = rest.upload(jar);

            int n = 1_200;
            kafka.send("raw-images", images(0, n / 2));
            // Image bombs among them: a few hundred bytes each whose PNG/JPEG header declares
            // 46000x46000 (2.1 G pixels) on a TaskManager of about 480 MB heap.
            kafka.send("raw-images", bombs());
            String job = rest.run(jarId, arguments(broker.bootstrapServers()), null);
            cluster.await(
                    "the job running", TIMEOUT, () -> "RUNNING".equals(rest.statusOrUnknown(job)));
            cluster.await("first outputs", TIMEOUT, () -> outputs().size() >= n / 8);
            cluster.await("the bombs dead-lettered", TIMEOUT, () -> deadLetters().size() >= BOMBS);
            assertThat(deadLetters())
                    .hasSize(BOMBS)
                    .allSatisfy(
                            letter -> {
                                assertThat(letter.getReason())
                                        .isEqualTo(DeadLetterReason.OVERSIZED_IMAGE);
                                assertThat(letter.getMessage()).contains("refused before decoding");
                            });

            StandaloneFlinkCluster.kill(taskManager);
            int secondPrometheus = StandaloneFlinkCluster.freePort();
            cluster.startTaskManager(
                    Map.of("metrics.reporter.prom.port", String.valueOf(secondPrometheus)));
            TestingPrometheus prometheus =
                    TestingPrometheus.start(
                            work.resolve("prometheus"),
                            List.of(
                                    "127.0.0.1:" + jobManagerPrometheus,
                                    "127.0.0.1:" + secondPrometheus),
                            dockerDir().resolve("prometheus").resolve(DeploymentFilesTest.ALERTS));
            kafka.send("raw-images", images(n / 2, n));
            cluster.await("all outputs after the crash", TIMEOUT, () -> outputs().size() >= n);
            // JobMasterException or ResourceManagerException, whichever noticed the loss first.
            assertThat(rest.failures(job))
                    .as("the job failed over because its TaskManager was lost")
                    .isNotEmpty()
                    .allMatch(failure -> failure.matches(".*(JobMaster|ResourceManager)Exception"));
            assertExactlyOnce(outputs(), n);
            assertThat(scrape(secondPrometheus, "instahide_poolSize")).isEqualTo(1);
            assertDashboardMetricsExist(jobManagerPrometheus, secondPrometheus);
            try (prometheus) {
                assertEveryDashboardQueryReturnsData(prometheus, cluster);
                cluster.await(
                        "every shipped alerting rule evaluated",
                        TIMEOUT,
                        TestingPrometheus.onceAnswering(
                                () ->
                                        prometheus.alertRules().stream()
                                                .noneMatch(rule -> rule.endsWith("=unknown"))));
                assertThat(prometheus.alertRules())
                        .as("the shipped alerting rules, evaluated by a real Prometheus")
                        .hasSizeGreaterThanOrEqualTo(12)
                        .contains("InstaHideDeadLetters=ok", "InstaHidePoolEmpty=ok")
                        .allMatch(rule -> rule.endsWith("=ok"));
            }

            String savepoint = rest.stopWithSavepoint(job, savepoints, TIMEOUT);
            cluster.await(
                    "the job finished",
                    TIMEOUT,
                    () -> "FINISHED".equals(rest.statusOrUnknown(job)));

            int more = 300;
            kafka.send("raw-images", images(n, n + more));
            String resumed = rest.run(jarId, arguments(broker.bootstrapServers()), savepoint);
            cluster.await("outputs after the resume", TIMEOUT, () -> outputs().size() >= n + more);
            assertExactlyOnce(outputs(), n + more);
            assertThat(scrape(secondPrometheus, "instahide_poolSize"))
                    .as("the pool came back from the savepoint, not from its topic")
                    .isEqualTo(1);
            rest.cancel(resumed);
        }
    }

    /** The job's arguments, as a user would give them to `flink run` or `standalone-job`. */
    private static List<String> arguments(String bootstrap) {
        return List.of(
                "--kafka.bootstrap-servers", bootstrap,
                "--kafka.transaction-timeout", "1 min",
                "--image.shape", "1x4x4",
                "--instahide.k", "2",
                "--instahide.private-slots", "1",
                "--normalizer.private", "symmetric",
                "--normalizer.public", "symmetric",
                "--encrypt.engine", "nd4j",
                "--encrypt.batch-latency", "20 ms",
                "--job.checkpoint-interval", "500 ms");
    }

    /** Images whose first two pixels encode their number; all pixels at least 128. */
    private static List<byte[]> images(int from, int to) {
        SingleObjectCodec<ImageRecord> codec = SingleObjectCodec.imageRecords();
        List<byte[]> images = new ArrayList<>();
        for (int i = from; i < to; i++) {
            byte[] pixels = new byte[16];
            Arrays.fill(pixels, (byte) 150);
            pixels[0] = (byte) (128 + (i & 127));
            pixels[1] = (byte) (128 + (i >> 7));
            images.add(
                    codec.encode(
                            ImageRecord.newBuilder()
                                    .setDeviceId("camera-1")
                                    .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L))
                                    .setLabel(i % 10)
                                    .setWidth(4)
                                    .setHeight(4)
                                    .setChannels(1)
                                    .setEncoding(ImageEncoding.RAW_U8)
                                    .setPixels(ByteBuffer.wrap(pixels))
                                    .build()));
        }
        return images;
    }

    private static final int BOMBS = 8;

    /** PNG and JPEG records of the stream's declared shape whose headers declare 46000x46000. */
    private static List<byte[]> bombs() {
        SingleObjectCodec<ImageRecord> codec = SingleObjectCodec.imageRecords();
        List<byte[]> bombs = new ArrayList<>();
        for (int i = 0; i < BOMBS; i++) {
            boolean png = i % 2 == 0;
            byte[] encoded =
                    png
                            ? TestingImageBombs.pngDeclaring(46_000, 46_000)
                            : TestingImageBombs.jpegDeclaring(46_000, 46_000);
            bombs.add(
                    codec.encode(
                            ImageRecord.newBuilder()
                                    .setDeviceId("attacker")
                                    .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L + i))
                                    .setLabel(1)
                                    .setWidth(4)
                                    .setHeight(4)
                                    .setChannels(1)
                                    .setEncoding(png ? ImageEncoding.PNG : ImageEncoding.JPEG)
                                    .setPixels(ByteBuffer.wrap(encoded))
                                    .build()));
        }
        return bombs;
    }

    private static List<DeadLetter> deadLetters() {
        List<DeadLetter> letters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted("dead-letters")) {
            try {
                letters.add(SingleObjectCodec.deadLetters().decode(r.value()));
            } catch (RecordDecodeException e) {
                throw new AssertionError("an undecodable dead letter", e);
            }
        }
        return letters;
    }

    private static PublicImage pool() {
        byte[] pixels = new byte[16];
        Arrays.fill(pixels, (byte) POOL_BYTE);
        return PublicImage.newBuilder()
                .setId("pool-0")
                .setWidth(4)
                .setHeight(4)
                .setChannels(1)
                .setEncoding(ImageEncoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(pixels))
                .build();
    }

    private static List<ConsumerRecord<byte[], byte[]>> outputs() {
        return kafka.readCommitted("encrypted-samples");
    }

    /** Every input number 0..n-1 is encrypted exactly once. */
    private static void assertExactlyOnce(List<ConsumerRecord<byte[], byte[]>> out, int n)
            throws Exception {
        int[] seen = new int[n];
        for (ConsumerRecord<byte[], byte[]> record : out) {
            int id = inputOf(SingleObjectCodec.encryptedSamples().decode(record.value()));
            assertThat(id).as("a known input").isBetween(0, n - 1);
            seen[id]++;
        }
        for (int i = 0; i < n; i++) {
            assertThat(seen[i]).as("encryptions of input %d", i).isEqualTo(1);
        }
    }

    /** Undoes the audit configuration's mixing: x0 = (|enc| − λ1·pool) / λ0, back to a byte. */
    private static int inputOf(EncryptedSample sample) {
        float lambda0 = 0;
        for (float t : sample.getSoftLabel()) {
            lambda0 += t;
        }
        float[] pixels = new float[16];
        sample.getPixels().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(pixels);
        double pool = NORMALIZER.normalize(0, POOL_BYTE);
        int low = byteOf((Math.abs(pixels[0]) - (1 - lambda0) * pool) / lambda0);
        int high = byteOf((Math.abs(pixels[1]) - (1 - lambda0) * pool) / lambda0);
        return (low - 128) + ((high - 128) << 7);
    }

    private static int byteOf(double normalised) {
        return (int) Math.round((normalised + 1) * 127.5);
    }

    private static Path dockerDir() {
        return Path.of(System.getProperty("instahide.docker.dir", "."));
    }

    /**
     * Every PromQL query of Grafana's dashboard (docker/grafana), evaluated by a real Prometheus
     * scraping the cluster, returns data while the job runs.
     */
    private static void assertEveryDashboardQueryReturnsData(
            TestingPrometheus prometheus, StandaloneFlinkCluster cluster) throws Exception {
        JsonNode dashboard =
                new ObjectMapper()
                        .readTree(dockerDir().resolve(DeploymentFilesTest.DASHBOARD).toFile());
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asText());
            }
        }
        assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
        for (String query : queries) {
            cluster.await(
                    "data for the dashboard query " + query,
                    TIMEOUT,
                    TestingPrometheus.onceAnswering(() -> !prometheus.query(query).isEmpty()));
        }
    }

    /** Every metric Grafana's dashboard (docker/grafana) queries is one Flink really reports. */
    private static void assertDashboardMetricsExist(int... ports) throws Exception {
        StringBuilder scraped = new StringBuilder();
        for (int port : ports) {
            scraped.append(prometheusText(port));
        }
        Set<String> names =
                scraped.toString()
                        .lines()
                        .filter(line -> !line.startsWith("#") && !line.isBlank())
                        .map(line -> line.split("[{ ]")[0])
                        .collect(Collectors.toSet());
        Path dashboard = dockerDir().resolve(DeploymentFilesTest.DASHBOARD);
        for (String metric :
                DeploymentFilesTest.dashboardMetrics(
                        new ObjectMapper().readTree(dashboard.toFile()))) {
            assertThat(names).as("reported metrics").anyMatch(name -> name.startsWith(metric));
        }
    }

    private static String prometheusText(int port) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The value of the first Prometheus sample whose name ends with {@code suffix}. */
    private static double scrape(int port, String suffix) throws Exception {
        Matcher sample =
                Pattern.compile(
                                "^(\\w*" + Pattern.quote(suffix) + ")\\{[^}]*} (\\S+)$",
                                Pattern.MULTILINE)
                        .matcher(prometheusText(port));
        assertThat(sample.find()).as("%s in the Prometheus output", suffix).isTrue();
        return Double.parseDouble(sample.group(2));
    }
}
