package io.instahide.audit;

import io.instahide.clients.KafkaClients;
import io.instahide.embedded.EmbeddedKafkaBroker;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.Normalization;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.SchemeParameters;
import io.instahide.schemas.codec.ImageSourceId;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The export tool against a real broker: topics filled as the job fills them (encrypted samples,
 * escrowed keys, raw and public images), the files read back as NumPy lays them out.
 */
class ExportChallengeITCase {

    private static final int C = 3;
    private static final int H = 4;
    private static final int W = 5;
    private static final int SIZE = C * H * W;
    private static final int SAMPLES = 6;

    private static EmbeddedKafkaBroker broker;

    @TempDir Path out;

    private final Random random = new Random(9);

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(60));
        broker.createTopics(
                List.of("raw-images", "public-images", "encrypted-samples", "audit-keys"),
                1,
                Map.of());
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void writesTheChallengeLayoutAndTheGroundTruthOfEverySample() throws Exception {
        List<byte[]> privates = new ArrayList<>(); // HWC
        List<String> privateIds = new ArrayList<>();
        List<byte[]> publics = new ArrayList<>();
        List<EncryptedSample> samples = new ArrayList<>();
        List<EscrowedKey> keys = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                KafkaClients.producer(broker.bootstrapServers(), "test")) {
            SingleObjectCodec<ImageRecord> raw = SingleObjectCodec.imageRecords();
            for (int i = 0; i < 4; i++) {
                byte[] hwc = bytes(SIZE);
                byte[] value = raw.encode(rawImage(hwc, i));
                privates.add(hwc);
                privateIds.add(ImageSourceId.format(ImageSourceId.of(value)));
                producer.send(new ProducerRecord<>("raw-images", value));
            }
            producer.send(new ProducerRecord<>("raw-images", new byte[] {1, 2, 3})); // malformed
            for (int i = 0; i < 3; i++) {
                byte[] hwc = bytes(SIZE);
                publics.add(hwc);
                producer.send(
                        new ProducerRecord<>(
                                "public-images",
                                ("p" + i).getBytes(),
                                SingleObjectCodec.publicImages()
                                        .encode(publicImage("p" + i, hwc))));
            }
            for (int i = 0; i < SAMPLES; i++) {
                EncryptedSample sample = sample("s" + i);
                EscrowedKey key =
                        key(
                                "s" + i,
                                List.of(
                                        privateIds.get(i % 4),
                                        privateIds.get((i + 1) % 4),
                                        "public:p" + (i % 3)));
                samples.add(sample);
                keys.add(key);
                producer.send(
                        new ProducerRecord<>(
                                "encrypted-samples",
                                SingleObjectCodec.encryptedSamples().encode(sample)));
                producer.send(
                        new ProducerRecord<>(
                                "audit-keys", SingleObjectCodec.escrowedKeys().encode(key)));
            }
        }

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = export(stdout, stderr, "--key-escrow", "audit-keys");

        assertThat(exit).as(stderr.toString()).isZero();
        assertThat(stdout.toString()).contains("6 encrypted samples").contains("(7 images)");
        ByteBuffer encryptions = npy(out.resolve("encryptions.npy"), "'<f4'", "(6, 4, 5, 3)");
        ByteBuffer labels = npy(out.resolve("labels.npy"), "'<f4'", "(6, 2)");
        ByteBuffer privateImages =
                npy(out.resolve("truth/private_images.npy"), "'|u1'", "(4, 4, 5, 3)");
        ByteBuffer publicImages =
                npy(out.resolve("truth/public_images.npy"), "'|u1'", "(3, 4, 5, 3)");
        ByteBuffer privateIndex = npy(out.resolve("truth/private_index.npy"), "'<i8'", "(6, 2)");
        ByteBuffer publicIndex = npy(out.resolve("truth/public_index.npy"), "'<i8'", "(6, 1)");
        ByteBuffer lambdas = npy(out.resolve("truth/lambdas.npy"), "'<f4'", "(6, 3)");
        ByteBuffer masks = npy(out.resolve("truth/masks.npy"), "'|u1'", "(6, 4, 5, 3)");
        for (int i = 0; i < SAMPLES; i++) {
            float[] chw = new float[SIZE];
            samples.get(i)
                    .getPixels()
                    .duplicate()
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(chw);
            long[] maskWords = new long[1];
            keys.get(i)
                    .getMask()
                    .duplicate()
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asLongBuffer()
                    .get(maskWords);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    for (int c = 0; c < C; c++) {
                        int chwIndex = c * H * W + y * W + x;
                        int hwcIndex = (y * W + x) * C + c;
                        assertThat(encryptions.getFloat(4 * (i * SIZE + hwcIndex)))
                                .isEqualTo(chw[chwIndex]);
                        assertThat(masks.get(i * SIZE + hwcIndex))
                                .isEqualTo((byte) (maskWords[0] >>> chwIndex & 1));
                    }
                }
            }
            assertThat(labels.getFloat(4 * (2 * i)))
                    .isEqualTo(samples.get(i).getSoftLabel().get(0));
            for (int s = 0; s < 2; s++) {
                int row = (int) privateIndex.getLong(8 * (2 * i + s));
                assertThat(slice(privateImages, row)).isEqualTo(privates.get((i + s) % 4));
            }
            int publicRow = (int) publicIndex.getLong(8 * i);
            assertThat(slice(publicImages, publicRow)).isEqualTo(publics.get(i % 3));
            for (int s = 0; s < 3; s++) {
                assertThat(lambdas.getFloat(4 * (3 * i + s)))
                        .isEqualTo(keys.get(i).getLambdas().get(s));
            }
        }
    }

    @Test
    void aMissingTopicIsAnErrorThatNamesIt() {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = export(new ByteArrayOutputStream(), stderr, "--encrypted", "no-such-topic");
        assertThat(exit).isEqualTo(1);
        assertThat(stderr.toString()).contains("no-such-topic");
    }

    private int export(ByteArrayOutputStream stdout, ByteArrayOutputStream stderr, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--kafka.bootstrap-servers",
                                broker.bootstrapServers(),
                                "--out",
                                out.toString()));
        args.addAll(List.of(more));
        return ExportChallenge.run(
                args.toArray(String[]::new), new PrintStream(stdout), new PrintStream(stderr));
    }

    /** The data of a .npy file after checking its header's dtype and shape. */
    private static ByteBuffer npy(Path file, String descr, String shape) throws Exception {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = bytes.getShort(8) & 0xffff;
        String header = new String(bytes.array(), 10, headerLength);
        assertThat(header).contains("'descr': " + descr).contains("'shape': " + shape);
        return bytes.position(10 + headerLength).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] slice(ByteBuffer images, int row) {
        byte[] out = new byte[SIZE];
        images.duplicate().position(row * SIZE).get(out);
        return out;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static ImageRecord rawImage(byte[] hwc, int label) {
        return ImageRecord.newBuilder()
                .setDeviceId("camera")
                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L + label))
                .setLabel(label)
                .setWidth(W)
                .setHeight(H)
                .setChannels(C)
                .setEncoding(ImageEncoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(hwc))
                .build();
    }

    private static PublicImage publicImage(String id, byte[] hwc) {
        return PublicImage.newBuilder()
                .setId(id)
                .setWidth(W)
                .setHeight(H)
                .setChannels(C)
                .setEncoding(ImageEncoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(hwc))
                .build();
    }

    private EncryptedSample sample(String id) {
        ByteBuffer pixels = ByteBuffer.allocate(4 * SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p < SIZE; p++) {
            pixels.putFloat((float) random.nextGaussian());
        }
        return EncryptedSample.newBuilder()
                .setSampleId(id)
                .setChannels(C)
                .setHeight(H)
                .setWidth(W)
                .setPixels(pixels.flip())
                .setSoftLabel(List.of(random.nextFloat(), random.nextFloat()))
                .setScheme(
                        SchemeParameters.newBuilder()
                                .setSchemeVersion("instahide-1")
                                .setK(3)
                                .setPrivateSlots(2)
                                .setUpper(0.65)
                                .setDom(0.3)
                                .setMasked(true)
                                .setNormalization(
                                        Normalization.newBuilder()
                                                .setName("CIFAR")
                                                .setMean(List.of(0.5f, 0.5f, 0.5f))
                                                .setStd(List.of(0.2f, 0.2f, 0.2f))
                                                .build())
                                .build())
                .build();
    }

    private EscrowedKey key(String sampleId, List<String> imageIds) {
        ByteBuffer mask = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        mask.putLong(random.nextLong() & ((1L << SIZE) - 1)).flip();
        return EscrowedKey.newBuilder()
                .setSampleId(sampleId)
                .setImageIds(imageIds)
                .setLambdas(List.of(random.nextFloat(), random.nextFloat(), random.nextFloat()))
                .setPrivateSlots(2)
                .setMask(mask)
                .build();
    }
}
