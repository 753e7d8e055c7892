package io.instahide.deploy;

import io.instahide.clients.KafkaClients;
import io.instahide.embedded.EmbeddedKafkaBroker;
import io.instahide.job.TestingKafka;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.codec.ImageSourceId;
import io.instahide.schemas.codec.RecordDecodeException;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chaos at volume on the multi-process cluster: devices publish {@code chaos.images} images of
 * 3×32×32 (default 10,000 here; {@code scripts/chaos.sh} runs 100,000) at a steady rate while a
 * seeded driver SIGKILLs a TaskManager at random moments (at least three times, each replaced as an
 * orchestrator would) and kills the Kafka broker process once, restarting it on the same port and
 * data directory a few seconds later. Afterwards, audited through the research key escrow: every
 * input image encrypted exactly T times, no sample twice, no escrow key without its sample, no dead
 * letter, no process left behind; the time to recover from each fault is reported ({@code
 * target/chaos/chaos-report.md}).
 *
 * <p>Pixels are seeded random bytes: what is tested is delivery, not the images' content.
 */
class ChaosClusterITCase {

    private static final int T = 2;
    private static final int CHANNELS = 3;
    private static final int SIDE = 32;
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @TempDir Path work;

    /** One injected fault and what it took to recover from it. */
    record Fault(
            String kind,
            double atSeconds,
            long outputsBefore,
            double downSeconds,
            double recoveredSeconds) {}

    @Test
    void everyImageIsEncryptedExactlyTTimesThroughTaskManagerAndBrokerCrashes() throws Exception {
        int images = Integer.getInteger("chaos.images", 10_000);
        double rate = Double.parseDouble(System.getProperty("chaos.rate", "300"));
        long seed = Long.getLong("chaos.seed", 17L);
        Random random = new Random(seed);
        Path home = Path.of(System.getProperty("instahide.flink.home", "target/flink"));
        Path jar = Path.of(System.getProperty("instahide.job.jar", ""));
        assertThat(home.resolve("lib")).as("Flink's lib/, assembled by docker/").isDirectory();
        assertThat(jar).as("the slim job jar: build the job module first").isRegularFile();

        List<Fault> faults = new ArrayList<>();
        Set<Long> before = descendants();
        long started = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(90))) {
            broker.createTopics(List.of("raw-images"), 2, Map.of());
            broker.createTopics(List.of("encrypted-samples"), 4, Map.of());
            broker.createTopics(List.of("dead-letters", "key-escrow"), 1, Map.of());
            broker.createTopics(List.of("public-images"), 1, Map.of("cleanup.policy", "compact"));
            publishPool(broker, random);

            Map<String, String> settings = StandaloneFlinkCluster.faultTestSettings(work, 1);
            try (StandaloneFlinkCluster cluster =
                            StandaloneFlinkCluster.start(
                                    home,
                                    work,
                                    settings,
                                    StandaloneFlinkCluster.testJvmOptions(work));
                    CommittedCount outputs =
                            new CommittedCount(broker.bootstrapServers(), "encrypted-samples")) {
                FlinkRest rest = new FlinkRest(cluster.restUrl());
                List<Process> taskManagers = new ArrayList<>();
                taskManagers.add(taskManager(cluster));
                taskManagers.add(taskManager(cluster));
                cluster.await("two TaskManagers", TIMEOUT, () -> rest.taskManagers() == 2);
                String job =
                        rest.run(rest.upload(jar), arguments(broker.bootstrapServers()), null, 2);
                cluster.await(
                        "the job running",
                        TIMEOUT,
                        () -> "RUNNING".equals(rest.statusOrUnknown(job)));

                Set<String> sourceIds = new HashSet<>();
                List<Integer> faultChunks = faultPlan(random);
                int chunks = 20;
                int perChunk = images / chunks;
                // Devices keep publishing while the job recovers (a recovery is watched in the
                // background), so there is always new input for the recovered job to encrypt; a
                // fault strikes only once the one before it is recovered from.
                Recovery recovering = null;
                try (KafkaProducer<byte[], byte[]> devices =
                        KafkaClients.producer(broker.bootstrapServers(), "chaos-devices")) {
                    for (int c = 0; c < chunks; c++) {
                        int from = c * perChunk;
                        int to = c == chunks - 1 ? images : from + perChunk;
                        publish(devices, random, from, to, rate, sourceIds);
                        int fault = faultChunks.indexOf(c);
                        if (fault < 0) {
                            continue;
                        }
                        if (recovering != null) {
                            faults.add(recovering.await(cluster));
                        }
                        // A random moment within the next chunk's worth of time.
                        LockSupport.parkNanos((long) (random.nextDouble() * perChunk / rate * 1e9));
                        recovering =
                                fault == BROKER_FAULT
                                        ? killBroker(broker, devices, outputs, random, started)
                                        : killTaskManager(
                                                cluster,
                                                rest,
                                                job,
                                                taskManagers,
                                                outputs,
                                                random,
                                                started);
                    }
                }
                faults.add(recovering.await(cluster));
                assertThat(sourceIds).as("distinct inputs").hasSize(images);
                long expected = (long) images * T;
                cluster.await(
                        "every encryption committed", TIMEOUT, () -> outputs.count() >= expected);
                double seconds = (System.nanoTime() - started) / 1e9;
                List<String> failovers = rest.failures(job);
                rest.cancel(job);
                cluster.await(
                        "the job cancelled",
                        TIMEOUT,
                        () -> "CANCELED".equals(rest.statusOrUnknown(job)));

                Audit audit = audit(broker, sourceIds);
                writeReport(images, rate, seed, seconds, faults, failovers.size(), audit);
                assertThat(audit.deadLetters()).as("dead letters").isZero();
                assertThat(audit.duplicateSamples()).as("samples committed twice").isZero();
                assertThat(audit.samples()).as("committed samples").isEqualTo(expected);
                assertThat(audit.keysWithoutSample()).as("escrowed keys without sample").isZero();
                assertThat(audit.samplesWithoutKey()).as("samples without escrowed key").isZero();
                assertThat(audit.unknownImages()).as("samples of no input").isZero();
                assertThat(audit.imagesNotExactlyT())
                        .as("input images not encrypted exactly %d times", T)
                        .isZero();
                assertThat(faults.stream().filter(f -> f.kind().equals("TaskManager")).count())
                        .isGreaterThanOrEqualTo(3);
                assertThat(failovers.size())
                        .as("failovers the job went through")
                        .isGreaterThanOrEqualTo(3);
            }
        }
        assertThat(descendants())
                .as("processes left behind (cluster and broker all stopped)")
                .isSubsetOf(before);
    }

    /** Index, in {@link #faultPlan}, of the broker's fault; the others kill TaskManagers. */
    private static final int BROKER_FAULT = 2;

    /** Four distinct chunks after which a fault strikes, in order; which one is the broker's. */
    private static List<Integer> faultPlan(Random random) {
        List<Integer> candidates = new ArrayList<>();
        for (int c = 2; c < 17; c++) {
            candidates.add(c);
        }
        Collections.shuffle(candidates, random);
        List<Integer> plan = new ArrayList<>(candidates.subList(0, 4));
        plan.sort(null);
        return plan;
    }

    /** Kills a TaskManager at random and starts its replacement, as an orchestrator would. */
    private Recovery killTaskManager(
            StandaloneFlinkCluster cluster,
            FlinkRest rest,
            String job,
            List<Process> taskManagers,
            CommittedCount outputs,
            Random random,
            long started)
            throws Exception {
        int failuresBefore = rest.failures(job).size();
        long outputsBefore = outputs.count();
        long at = System.nanoTime();
        Process victim = taskManagers.remove(random.nextInt(taskManagers.size()));
        StandaloneFlinkCluster.kill(victim);
        taskManagers.add(taskManager(cluster));
        return new Recovery(
                "TaskManager",
                started,
                at,
                outputsBefore,
                () ->
                        failures(rest, job) > failuresBefore
                                && "RUNNING".equals(rest.statusOrUnknown(job)),
                outputs);
    }

    /**
     * Kills the broker, waits 2–5 s, restarts it on its port and data directory. The devices pause
     * meanwhile (flushed before the kill), as cameras buffering through an outage would.
     */
    private Recovery killBroker(
            EmbeddedKafkaBroker broker,
            KafkaProducer<byte[], byte[]> devices,
            CommittedCount outputs,
            Random random,
            long started) {
        devices.flush();
        long outputsBefore = outputs.count();
        long at = System.nanoTime();
        broker.kill();
        LockSupport.parkNanos((long) ((2 + 3 * random.nextDouble()) * 1e9));
        broker.restart(Duration.ofSeconds(90));
        return new Recovery("Kafka broker", started, at, outputsBefore, () -> true, outputs);
    }

    /**
     * One fault's recovery, watched in the background: when the system is back ({@code back}: the
     * job failed over and runs, or the broker answers), and when new encrypted samples are
     * committed after that.
     */
    private static final class Recovery {

        private final String kind;
        private final long started;
        private final long at;
        private final long outputsBefore;
        private final Thread watcher;
        private volatile long backAt;
        private volatile long flowingAt;

        Recovery(
                String kind,
                long started,
                long at,
                long outputsBefore,
                BooleanSupplier back,
                CommittedCount outputs) {
            this.kind = kind;
            this.started = started;
            this.at = at;
            this.outputsBefore = outputsBefore;
            this.watcher =
                    new Thread(
                            () -> {
                                try {
                                    TestingKafka.await("back after the fault", TIMEOUT, back);
                                    backAt = System.nanoTime();
                                    long mark = outputs.count();
                                    TestingKafka.await(
                                            "new outputs", TIMEOUT, () -> outputs.count() > mark);
                                    flowingAt = System.nanoTime();
                                } catch (InterruptedException | AssertionError e) {
                                    // await() reports what is missing
                                }
                            },
                            "recovery-" + kind);
            watcher.setDaemon(true);
            watcher.start();
        }

        Fault await(StandaloneFlinkCluster cluster) throws InterruptedException {
            watcher.join(2 * TIMEOUT.toMillis());
            if (flowingAt == 0) {
                throw new AssertionError(
                        String.format(
                                "No recovery within %s from the %s killed at %.1f s (%s)%n%s",
                                TIMEOUT,
                                kind,
                                (at - started) / 1e9,
                                backAt == 0 ? "never back" : "back, but no new samples committed",
                                cluster.logTails()));
            }
            return new Fault(
                    kind,
                    (at - started) / 1e9,
                    outputsBefore,
                    (backAt - at) / 1e9,
                    (flowingAt - at) / 1e9);
        }
    }

    private static Process taskManager(StandaloneFlinkCluster cluster) throws IOException {
        return cluster.startTaskManager(
                Map.of(
                        "metrics.reporter.prom.port",
                        String.valueOf(StandaloneFlinkCluster.freePort())));
    }

    /** The job's arguments, as a user would give them to `flink run`. */
    private static List<String> arguments(String bootstrap) {
        return List.of(
                "--kafka.bootstrap-servers", bootstrap,
                "--kafka.transaction-timeout", "2 min",
                "--image.shape", CHANNELS + "x" + SIDE + "x" + SIDE,
                "--instahide.k", "4",
                "--instahide.private-slots", "2",
                "--instahide.encryptions-per-image", String.valueOf(T),
                "--normalizer.private", "symmetric",
                "--normalizer.public", "symmetric",
                "--topic.key-escrow", "key-escrow",
                "--encrypt.batch-latency", "50 ms",
                "--job.checkpoint-interval", "1 s");
    }

    private static void publishPool(EmbeddedKafkaBroker broker, Random random) {
        SingleObjectCodec<PublicImage> codec = SingleObjectCodec.publicImages();
        try (KafkaProducer<byte[], byte[]> producer =
                KafkaClients.producer(broker.bootstrapServers(), "chaos-pool")) {
            for (int i = 0; i < 64; i++) {
                String id = "pool-" + i;
                PublicImage image =
                        PublicImage.newBuilder()
                                .setId(id)
                                .setWidth(SIDE)
                                .setHeight(SIDE)
                                .setChannels(CHANNELS)
                                .setEncoding(ImageEncoding.RAW_U8)
                                .setPixels(ByteBuffer.wrap(pixels(random)))
                                .build();
                producer.send(
                        new ProducerRecord<>(
                                "public-images",
                                id.getBytes(StandardCharsets.UTF_8),
                                codec.encode(image)));
            }
            producer.flush();
        }
    }

    /** Images [from, to) at {@code rate} per second, keyed by device. */
    private static void publish(
            KafkaProducer<byte[], byte[]> devices,
            Random random,
            int from,
            int to,
            double rate,
            Set<String> sourceIds) {
        SingleObjectCodec<ImageRecord> codec = SingleObjectCodec.imageRecords();
        long start = System.nanoTime();
        for (int i = from; i < to; i++) {
            long due = start + (long) ((i - from) * 1e9 / rate);
            LockSupport.parkNanos(due - System.nanoTime());
            String device = "camera-" + (i % 16);
            byte[] value =
                    codec.encode(
                            ImageRecord.newBuilder()
                                    .setDeviceId(device)
                                    .setCaptureTime(Instant.now())
                                    .setLabel(i % 10)
                                    .setWidth(SIDE)
                                    .setHeight(SIDE)
                                    .setChannels(CHANNELS)
                                    .setEncoding(ImageEncoding.RAW_U8)
                                    .setPixels(ByteBuffer.wrap(pixels(random)))
                                    .build());
            sourceIds.add(ImageSourceId.format(ImageSourceId.of(value)));
            devices.send(
                    new ProducerRecord<>(
                            "raw-images", device.getBytes(StandardCharsets.UTF_8), value));
        }
    }

    private static byte[] pixels(Random random) {
        byte[] pixels = new byte[CHANNELS * SIDE * SIDE];
        random.nextBytes(pixels);
        return pixels;
    }

    /** What the topics hold once the job is done, read as a trainer would (read_committed). */
    record Audit(
            long samples,
            long duplicateSamples,
            long keysWithoutSample,
            long samplesWithoutKey,
            long unknownImages,
            long imagesNotExactlyT,
            long deadLetters) {}

    private static Audit audit(EmbeddedKafkaBroker broker, Set<String> sourceIds) {
        Map<String, String> imageOfSample = new HashMap<>();
        readCommitted(
                broker,
                "key-escrow",
                r -> {
                    EscrowedKey key = decode(() -> SingleObjectCodec.escrowedKeys().decode(r));
                    imageOfSample.put(key.getSampleId(), key.getImageIds().get(0));
                });
        Set<String> samples = new HashSet<>();
        long[] counts = new long[3]; // samples, duplicates, without key
        Map<String, Integer> perImage = new HashMap<>();
        readCommitted(
                broker,
                "encrypted-samples",
                r -> {
                    EncryptedSample sample =
                            decode(() -> SingleObjectCodec.encryptedSamples().decode(r));
                    counts[0]++;
                    if (!samples.add(sample.getSampleId())) {
                        counts[1]++;
                    }
                    String image = imageOfSample.get(sample.getSampleId());
                    if (image == null) {
                        counts[2]++;
                    } else {
                        perImage.merge(image, 1, Integer::sum);
                    }
                });
        long keysWithoutSample =
                imageOfSample.keySet().stream().filter(id -> !samples.contains(id)).count();
        long unknown = perImage.keySet().stream().filter(id -> !sourceIds.contains(id)).count();
        long notExactlyT =
                sourceIds.stream().filter(id -> perImage.getOrDefault(id, 0) != T).count();
        long[] deadLetters = new long[1];
        readCommitted(broker, "dead-letters", r -> deadLetters[0]++);
        return new Audit(
                counts[0],
                counts[1],
                keysWithoutSample,
                counts[2],
                unknown,
                notExactlyT,
                deadLetters[0]);
    }

    private interface Decoder<T> {
        T decode() throws RecordDecodeException;
    }

    private static <T> T decode(Decoder<T> decoder) {
        try {
            return decoder.decode();
        } catch (RecordDecodeException e) {
            throw new AssertionError("an undecodable record on an output topic", e);
        }
    }

    private static void readCommitted(
            EmbeddedKafkaBroker broker, String topic, java.util.function.Consumer<byte[]> action) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                KafkaClients.consumer(
                        broker.bootstrapServers(), Map.of("isolation.level", "read_committed"))) {
            KafkaClients.readToEnd(
                    consumer,
                    topic,
                    (ConsumerRecord<byte[], byte[]> r) -> action.accept(r.value()));
        }
    }

    private static void writeReport(
            int images,
            double rate,
            long seed,
            double seconds,
            List<Fault> faults,
            int failovers,
            Audit audit)
            throws IOException {
        StringBuilder md = new StringBuilder();
        md.append(
                String.format(
                        "%,d images of %dx%dx%d at %.0f/s, T = %d (%,d encryptions), seed %d;"
                                + " %.0f s from the first image to the last commit; %d failovers"
                                + " of the job.%n%n",
                        images,
                        CHANNELS,
                        SIDE,
                        SIDE,
                        rate,
                        T,
                        (long) images * T,
                        seed,
                        seconds,
                        failovers));
        md.append(
                "| fault | at (s) | committed outputs before | job running again / broker back"
                        + " after (s) | new committed outputs after (s) |\n");
        md.append("| --- | ---: | ---: | ---: | ---: |\n");
        for (Fault f : faults) {
            md.append(
                    String.format(
                            "| %s killed (SIGKILL) | %.1f | %,d | %.1f | %.1f |%n",
                            f.kind(),
                            f.atSeconds(),
                            f.outputsBefore(),
                            f.downSeconds(),
                            f.recoveredSeconds()));
        }
        md.append(
                String.format(
                        "%n| audit (key escrow, read_committed) | count |%n| --- | ---: |%n"
                                + "| committed samples (expected %,d) | %,d |%n"
                                + "| samples committed twice | %d |%n"
                                + "| samples without escrowed key | %d |%n"
                                + "| escrowed keys without sample | %d |%n"
                                + "| samples of no input | %d |%n"
                                + "| input images not encrypted exactly %d times | %d |%n"
                                + "| dead letters | %d |%n",
                        (long) images * T,
                        audit.samples(),
                        audit.duplicateSamples(),
                        audit.samplesWithoutKey(),
                        audit.keysWithoutSample(),
                        audit.unknownImages(),
                        T,
                        audit.imagesNotExactlyT(),
                        audit.deadLetters()));
        Path report = Path.of("target", "chaos", "chaos-report.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, md.toString());
        System.out.println(md);
    }

    private static Set<Long> descendants() {
        Set<Long> pids = new HashSet<>();
        ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .forEach(p -> pids.add(p.pid()));
        return pids;
    }

    private static int failures(FlinkRest rest, String job) {
        try {
            return rest.failures(job).size();
        } catch (IOException e) {
            return -1;
        }
    }
}
