package io.instahide.trainer;

import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.PixelFormat;
import io.instahide.schemas.codec.RegistryCodec;
import io.instahide.schemas.codec.RestSchemaRegistry;
import io.instahide.schemas.codec.SamplePixels;
import io.instahide.schemas.codec.SingleObjectCodec;
import io.instahide.schemas.codec.TestingSchemaRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The trainer side against a real broker: the DataSetIterator and the online trainer. */
class TrainerITCase {

    private static final SingleObjectCodec<EncryptedSample> CODEC =
            SingleObjectCodec.encryptedSamples();
    @RegisterExtension static final TestingTopics KAFKA = new TestingTopics();

    @TempDir Path files;

    private static EncryptedSampleIterator iterator(
            String topic, String group, int batch, long perEpoch) {
        return EncryptedSampleIterator.subscribe(
                KAFKA.bootstrapServers(),
                topic,
                group,
                Map.of(),
                batch,
                perEpoch,
                Duration.ofSeconds(3),
                null);
    }

    private static List<byte[]> plain(int count, long seed) {
        Random random = new Random(seed);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(CODEC.encode(TestingSamples.plain(i % TestingSamples.CLASSES, random)));
        }
        return values;
    }

    @Test
    void yieldsCommittedSamplesBitExactAndSkipsBadRecords() throws Exception {
        String topic = KAFKA.topic();
        List<EncryptedSample> good = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 6; i++) {
            float[] floats = new float[2 * 3 * 4];
            for (int j = 0; j < floats.length; j++) {
                floats[j] = (float) random.nextGaussian();
            }
            good.add(TestingSamples.sample(new int[] {2, 3, 4}, floats, new float[] {0.3f, 0.14f}));
        }
        float[] nan = new float[24];
        nan[5] = Float.NaN;
        List<byte[]> committed = new ArrayList<>();
        committed.add(CODEC.encode(good.get(0)));
        committed.add("not avro".getBytes(StandardCharsets.UTF_8));
        committed.add(CODEC.encode(good.get(1)));
        committed.add(
                CODEC.encode(
                        TestingSamples.sample(new int[] {1, 3, 4}, new float[12], new float[2])));
        committed.add(
                CODEC.encode(
                        TestingSamples.sample(new int[] {2, 3, 4}, nan, new float[] {1f, 0f})));
        for (int i = 2; i < 6; i++) {
            committed.add(CODEC.encode(good.get(i)));
        }
        KAFKA.send(topic, committed.subList(0, 5), true);
        KAFKA.send(topic, plain(4, 1), false); // aborted: must never be trained on
        KAFKA.send(topic, committed.subList(5, committed.size()), true);

        List<float[]> features = new ArrayList<>();
        List<float[]> labels = new ArrayList<>();
        try (EncryptedSampleIterator samples = iterator(topic, "g1", 4, Long.MAX_VALUE)) {
            while (samples.hasNext()) {
                DataSet batch = samples.next();
                assertThat(batch.getFeatures().shape())
                        .containsExactly(batch.numExamples(), 2, 3, 4);
                for (int i = 0; i < batch.numExamples(); i++) {
                    features.add(batch.getFeatures().slice(i).dup().data().asFloat());
                    labels.add(batch.getLabels().getRow(i).dup().data().asFloat());
                }
            }
            assertThat(samples.skipped()).isEqualTo(3);
            assertThat(samples.totalOutcomes()).isEqualTo(2);
        }
        assertThat(features).hasSize(6);
        for (int i = 0; i < 6; i++) {
            float[] expected = new float[24];
            good.get(i)
                    .getPixels()
                    .duplicate()
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(expected);
            assertThat(features.get(i)).containsExactly(expected);
            assertThat(labels.get(i)).containsExactly(0.3f, 0.14f);
        }
    }

    /** The job's output with kafka.schema-registry.url: wire-format and older samples alike. */
    @Test
    void readsTheConfluentWireFormatWithTheJobsRegistry() throws Exception {
        String topic = KAFKA.topic();
        try (TestingSchemaRegistry registry = TestingSchemaRegistry.start()) {
            RegistryCodec<EncryptedSample> job =
                    new RegistryCodec<>(
                            SingleObjectCodec.encryptedSamples(),
                            new RestSchemaRegistry(registry.url(), Duration.ofSeconds(5)),
                            RegistryCodec.valueSubject(topic));
            Random random = new Random(9);
            List<byte[]> values = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                EncryptedSample sample = TestingSamples.plain(i % TestingSamples.CLASSES, random);
                values.add(i < 3 ? job.encode(sample) : CODEC.encode(sample));
            }
            KAFKA.send(topic, values, true);
            try (EncryptedSampleIterator samples =
                    EncryptedSampleIterator.subscribe(
                            KAFKA.bootstrapServers(),
                            topic,
                            "g-registry",
                            Map.of(),
                            4,
                            4,
                            Duration.ofSeconds(3),
                            registry.url())) {
                assertThat(samples.next().numExamples()).isEqualTo(4);
                assertThat(samples.skipped()).isZero();
            }
            try (EncryptedSampleIterator noRegistry = iterator(topic, "g-none", 4, 4)) {
                int read = 0;
                while (noRegistry.hasNext()) {
                    read += noRegistry.next().numExamples();
                }
                assertThat(read).as("only the single-object sample").isEqualTo(1);
                assertThat(noRegistry.skipped()).isEqualTo(3);
            }
        }
    }

    @Test
    void float16SamplesTrainOnTheHalvesTheJobRoundedTo() throws Exception {
        String topic = KAFKA.topic();
        Random random = new Random(8);
        List<EncryptedSample> samples = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            float[] floats = new float[2 * 3 * 4];
            for (int j = 0; j < floats.length; j++) {
                floats[j] = (float) random.nextGaussian();
            }
            samples.add(
                    TestingSamples.sample(
                            new int[] {2, 3, 4},
                            floats,
                            new float[] {1f, 0f},
                            PixelFormat.FLOAT16));
        }
        KAFKA.send(topic, samples.stream().map(CODEC::encode).toList(), true);

        List<float[]> features = new ArrayList<>();
        try (EncryptedSampleIterator iterator = iterator(topic, "g-half", 3, Long.MAX_VALUE)) {
            DataSet batch = iterator.next();
            for (int i = 0; i < batch.numExamples(); i++) {
                features.add(batch.getFeatures().slice(i).dup().data().asFloat());
            }
            assertThat(iterator.skipped()).isZero();
        }
        assertThat(features).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(features.get(i)).containsExactly(SamplePixels.decode(samples.get(i)));
        }
    }

    @Test
    void epochWindowsContinueTheStreamAndCommitResumesAfterTheLastSample() throws Exception {
        String topic = KAFKA.topic();
        List<byte[]> values = plain(10, 2);
        KAFKA.send(topic, values, true);
        List<Float> firstPixels = new ArrayList<>();
        try (EncryptedSampleIterator samples = iterator(topic, "g2", 3, 4)) {
            int inWindow = 0;
            while (samples.hasNext()) {
                inWindow += samples.next().numExamples();
            }
            assertThat(inWindow).isEqualTo(4);
            samples.reset();
            DataSet next = samples.next();
            assertThat(next.numExamples()).isEqualTo(3);
            firstPixels.add(next.getFeatures().getFloat(0, 0, 3, 5));
            samples.commit(); // 7 handed out
        }
        try (EncryptedSampleIterator resumed = iterator(topic, "g2", 8, Long.MAX_VALUE)) {
            DataSet rest = resumed.next();
            assertThat(rest.numExamples()).isEqualTo(3);
            assertThat(resumed.hasNext()).isFalse();
            EncryptedSample eighth = decode(values.get(7));
            float expected =
                    eighth.getPixels()
                            .duplicate()
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .getFloat(4 * (3 * 28 + 5));
            assertThat(rest.getFeatures().getFloat(0, 0, 3, 5)).isEqualTo(expected);
        }
        EncryptedSample fifth = decode(values.get(4));
        assertThat(firstPixels.get(0))
                .isEqualTo(
                        fifth.getPixels()
                                .duplicate()
                                .order(ByteOrder.LITTLE_ENDIAN)
                                .getFloat(4 * (3 * 28 + 5)));
    }

    @Test
    void onlineTrainerLearnsSavesAndResumes() throws Exception {
        String topic = KAFKA.topic();
        Path testImages = files.resolve("idx");
        TestingSamples.writeIdx(testImages, "t10k", 500, 99);
        Path model = files.resolve("model.zip");
        String[] args = trainerArgs(topic, testImages, model);
        KAFKA.send(topic, plain(1280, 3), true);

        OnlineTrainer.Result first = run(args);

        assertThat(first.samples()).isEqualTo(1280);
        assertThat(first.accuracy()).isGreaterThan(0.9);
        assertThat(model).exists();

        KAFKA.send(topic, plain(320, 4), true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OnlineTrainer.Result second =
                new OnlineTrainer(
                                io.instahide.clients.CliArgs.parse(
                                        args, OnlineTrainer.OPTIONS, java.util.Set.of("help")),
                                new PrintStream(out, true, StandardCharsets.UTF_8))
                        .train();

        assertThat(second.samples()).isEqualTo(320); // only what the first run had not trained on
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Resuming from")
                .contains(String.format("(%,d iterations trained)", 1280 / 32));
        assertThat(second.accuracy()).isGreaterThan(0.9);
    }

    @Test
    void theResidualNetworkLearnsAndResumesAsItselfOnly() throws Exception {
        String topic = KAFKA.topic();
        Path testImages = files.resolve("idx-resnet");
        TestingSamples.writeIdx(testImages, "t10k", 200, 99);
        Path model = files.resolve("resnet.zip");
        KAFKA.send(topic, plain(640, 5), true);
        String[] resnet = trainerArgs(topic, testImages, model, "--arch", "resnet");

        OnlineTrainer.Result first = run(resnet);

        assertThat(first.samples()).isEqualTo(640);
        assertThat(first.accuracy()).as("ten classes: chance is 0.1").isGreaterThan(0.5);
        assertThatThrownBy(() -> run(trainerArgs(topic, testImages, model)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("holds a resnet model, not --arch small-cnn");
        KAFKA.send(topic, plain(64, 6), true);
        assertThat(run(resnet).samples()).isEqualTo(64);
    }

    private String[] trainerArgs(String topic, Path testImages, Path model, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--kafka.bootstrap-servers",
                                KAFKA.bootstrapServers(),
                                "--topic",
                                topic,
                                "--group-id",
                                "trainer-" + model.getFileName(),
                                "--test-idx",
                                testImages.toString(),
                                "--model",
                                model.toString(),
                                "--batch",
                                "32",
                                "--eval-every",
                                "640",
                                "--idle-timeout-s",
                                "3"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void badUsageExitsWithTwoAndNamesTheProblem() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(
                            OnlineTrainer.run(
                                    new String[] {
                                        "--kafka.bootstrap-servers", "x:1", "--epohcs", "3"
                                    },
                                    System.out))
                    .isEqualTo(2);
        } finally {
            System.setErr(original);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option --epohcs");
    }

    private static EncryptedSample decode(byte[] value) throws Exception {
        return CODEC.decode(value);
    }

    private static OnlineTrainer.Result run(String[] args) throws Exception {
        return new OnlineTrainer(
                        io.instahide.clients.CliArgs.parse(
                                args, OnlineTrainer.OPTIONS, java.util.Set.of("help")),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .train();
    }
}
