package io.instahide.trainer;

import io.instahide.core.ReferenceVectors;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.PixelFormat;
import io.instahide.schemas.codec.SamplePixels;
import io.instahide.schemas.codec.SingleObjectCodec;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the Python module's tests ({@code python/tests}) against a real broker holding fixtures
 * published here. Needs Debian's {@code python3-torch}, {@code python3-confluent-kafka}, {@code
 * python3-avro} and {@code python3-numpy} ({@code scripts/setup.sh test} installs them); {@code
 * INSTAHIDE_PYTHON} picks the interpreter.
 */
class PythonConsumerITCase {

    private static final SingleObjectCodec<EncryptedSample> CODEC =
            SingleObjectCodec.encryptedSamples();
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    @RegisterExtension static final TestingTopics KAFKA = new TestingTopics();

    @TempDir Path files;

    private static String python() {
        String configured = System.getenv("INSTAHIDE_PYTHON");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        // Debian's interpreter has Debian's python3-* packages; a pyenv shim on PATH does not.
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** Good samples around bad records and an aborted transaction. */
    private static Map<String, Object> mixed() {
        String topic = KAFKA.topic();
        Random random = new Random(11);
        List<List<Float>> features = new ArrayList<>();
        List<byte[]> good = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            float[] floats = new float[3 * 2 * 2];
            for (int j = 0; j < floats.length; j++) {
                floats[j] = (float) random.nextGaussian();
            }
            EncryptedSample sample =
                    TestingSamples.sample(new int[] {3, 2, 2}, floats, new float[] {0.25f, 0.19f});
            good.add(CODEC.encode(sample));
            features.add(boxed(floats));
        }
        float[] infinite = new float[12];
        infinite[3] = Float.POSITIVE_INFINITY;
        KAFKA.send(
                topic,
                List.of(
                        good.get(0),
                        "garbage".getBytes(StandardCharsets.UTF_8),
                        good.get(1),
                        CODEC.encode(
                                TestingSamples.sample(
                                        new int[] {3, 2, 2}, infinite, new float[] {1f, 0f}))),
                true);
        KAFKA.send(topic, List.of(good.get(2)), false);
        KAFKA.send(
                topic,
                List.of(
                        CODEC.encode(
                                TestingSamples.sample(
                                        new int[] {1, 2, 2}, new float[4], new float[] {1f, 0f})),
                        good.get(3),
                        good.get(4)),
                true);
        Map<String, Object> fixture = new LinkedHashMap<>();
        fixture.put("topic", topic);
        fixture.put("shape", List.of(3, 2, 2));
        fixture.put(
                "features",
                List.of(features.get(0), features.get(1), features.get(3), features.get(4)));
        fixture.put(
                "labels",
                List.of(
                        List.of(0.25f, 0.19f),
                        List.of(0.25f, 0.19f),
                        List.of(0.25f, 0.19f),
                        List.of(0.25f, 0.19f)));
        fixture.put("skipped", 3);
        return fixture;
    }

    /**
     * Float16 samples: what the Python consumer must yield (the halves the Java writer rounded to,
     * as decoded here) and the float32 values they were rounded from (for numpy's own rounding).
     */
    private static Map<String, Object> half() {
        String topic = KAFKA.topic();
        Random random = new Random(12);
        List<List<Float>> originals = new ArrayList<>();
        List<List<Float>> features = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            float[] floats = new float[3 * 2 * 2];
            for (int j = 0; j < floats.length; j++) {
                floats[j] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 4));
            }
            EncryptedSample sample =
                    TestingSamples.sample(
                            new int[] {3, 2, 2}, floats, new float[] {1f, 0f}, PixelFormat.FLOAT16);
            values.add(CODEC.encode(sample));
            originals.add(boxed(floats));
            features.add(boxed(SamplePixels.decode(sample)));
        }
        KAFKA.send(topic, values, true);
        Map<String, Object> fixture = new LinkedHashMap<>();
        fixture.put("topic", topic);
        fixture.put("originals", originals);
        fixture.put("features", features);
        return fixture;
    }

    private static List<Float> boxed(float[] floats) {
        List<Float> boxed = new ArrayList<>();
        for (float f : floats) {
            boxed.add(f);
        }
        return boxed;
    }

    private Map<String, Object> plain() throws IOException {
        String topic = KAFKA.topic();
        int count = 1280;
        Random random = new Random(5);
        List<byte[]> values = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(TestingSamples.CLASSES);
            labels.add(label);
            values.add(CODEC.encode(TestingSamples.plain(label, random)));
        }
        KAFKA.send(topic, values, true);
        Path idx = files.resolve("idx");
        TestingSamples.writeIdx(idx, "t10k", 500, 77);
        Map<String, Object> fixture = new LinkedHashMap<>();
        fixture.put("topic", topic);
        fixture.put("count", count);
        fixture.put("labels", labels);
        fixture.put("test_idx", idx.toString());
        return fixture;
    }

    private static Map<String, Object> loss() {
        Map<String, Object> fixture = new LinkedHashMap<>();
        fixture.put(
                "logits",
                rows(
                        ReferenceVectors.floats(
                                ReferenceVectors.block("mixing_inside_k4_loss").get("logits"))));
        fixture.put(
                "targets",
                rows(
                        ReferenceVectors.floats(
                                ReferenceVectors.block("mixing_inside_k4").get("soft_targets"))));
        fixture.put(
                "expected",
                ReferenceVectors.block("mixing_inside_k4_loss").get("loss_float32").asDouble());
        return fixture;
    }

    private static List<List<Float>> rows(float[] values) {
        List<List<Float>> rows = new ArrayList<>();
        for (int i = 0; i < values.length; i += 3) {
            rows.add(List.of(values[i], values[i + 1], values[i + 2]));
        }
        return rows;
    }

    @Test
    void pythonModuleTestsPassAgainstTheBroker() throws Exception {
        Map<String, Object> fixtures = new LinkedHashMap<>();
        fixtures.put("bootstrap", KAFKA.bootstrapServers());
        fixtures.put("mixed", mixed());
        fixtures.put("half", half());
        fixtures.put("plain", plain());
        fixtures.put("loss", loss());
        Path fixtureFile = files.resolve("fixtures.json");
        new ObjectMapper().writeValue(fixtureFile.toFile(), fixtures);

        Path log = files.resolve("python.log");
        ProcessBuilder builder =
                new ProcessBuilder(
                                python(),
                                "-m",
                                "unittest",
                                "discover",
                                "-v",
                                "-s",
                                "tests",
                                "-t",
                                ".")
                        .directory(REPO.resolve("python").toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        builder.environment().put("INSTAHIDE_TEST_FIXTURES", fixtureFile.toString());
        builder.environment().put("OMP_NUM_THREADS", "2");
        Process process = builder.start();
        process.getOutputStream().close();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        String output = Files.readString(log);
        if (!finished) {
            process.destroyForcibly();
        }
        assertThat(finished).as("python tests finished within 5 minutes:\n%s", output).isTrue();
        assertThat(process.exitValue())
                .as(
                        "python tests (%s; install python3-torch python3-confluent-kafka"
                                + " python3-avro python3-numpy with apt, or set INSTAHIDE_PYTHON):"
                                + "\n%s",
                        python(), output)
                .isZero();
        assertThat(output).contains("Ran 20 tests").contains("OK");
    }
}
