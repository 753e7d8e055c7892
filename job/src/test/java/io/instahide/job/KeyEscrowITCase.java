package io.instahide.job;

import io.instahide.clients.image.ImageDecoder;
import io.instahide.connectors.kafka.serde.PublicImageUpdate;
import io.instahide.connectors.kafka.serde.Received;
import io.instahide.core.ImageShape;
import io.instahide.core.MaskBits;
import io.instahide.core.Normalizer;
import io.instahide.core.image.ImageFitting;
import io.instahide.job.encrypt.MixingEngine;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.codec.ImageSourceId;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Either;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key escrow (research audits only) on a real MiniCluster: the escrowed keys and the ids they name
 * reproduce every encrypted sample bit for bit, and two runs of the job on identical input draw
 * unrelated keys (the InstaHide challenge's keys were reproducible from a 32-bit seed).
 */
class KeyEscrowITCase {

    private static final ImageShape SHAPE = new ImageShape(3, 8, 8);
    private static final Normalizer PRIVATE = Normalizer.cifar();
    private static final Normalizer PUBLIC = Normalizer.imagenet();
    private static final int T = 2;

    @RegisterExtension static final MiniClusterExtension FLINK = TestingJobs.miniCluster();

    private final Random random = new Random(5);
    private final List<ImageRecord> raw = new ArrayList<>();
    private final List<PublicImage> pool = new ArrayList<>();

    /** Normalised CHW values of every image, by the id the escrow names it with. */
    private final Map<String, float[]> images = new HashMap<>();

    /** One run's output: samples by id, and the keys. */
    private record Run(Map<String, EncryptedSample> samples, List<EscrowedKey> keys) {}

    @Test
    void escrowedKeysReproduceEveryOutputAndTwoRunsDrawUnrelatedKeys() throws Exception {
        SingleObjectCodec<ImageRecord> codec = SingleObjectCodec.imageRecords();
        for (int i = 0; i < 40; i++) {
            ImageRecord record = InstaHidePipelineITCase.rawImage(random, i % 10, SHAPE.width());
            raw.add(record);
            images.put(
                    ImageSourceId.format(ImageSourceId.of(codec.encode(record))),
                    normalised(record.getPixels(), PRIVATE));
        }
        for (int i = 0; i < 12; i++) {
            PublicImage image = InstaHidePipelineITCase.publicImage(random, "p" + i);
            pool.add(image);
            images.put("public:p" + i, normalised(image.getPixels(), PUBLIC));
        }

        Run first = run();
        Run second = run();

        for (Run run : List.of(first, second)) {
            assertThat(run.samples()).hasSize(raw.size() * T);
            assertThat(run.keys()).hasSize(raw.size() * T);
            for (EscrowedKey key : run.keys()) {
                assertThat(key.getPrivateSlots()).isEqualTo(2);
                assertThat(key.getImageIds().get(0)).isNotEqualTo(key.getImageIds().get(1));
                assertThat(reproduce(key)).isEqualTo(pixels(run.samples().get(key.getSampleId())));
            }
        }
        assertUnrelated(byImage(first.keys()), byImage(second.keys()));
    }

    private Run run() throws Exception {
        StreamExecutionEnvironment env = InstaHidePipelineITCase.environment();
        List<Either<DeadLetter, Received<ImageRecord>>> rawInput = new ArrayList<>();
        raw.forEach(r -> rawInput.add(InstaHidePipelineITCase.received(r)));
        List<Either<DeadLetter, Received<PublicImageUpdate>>> poolInput = new ArrayList<>();
        pool.forEach(
                p ->
                        poolInput.add(
                                InstaHidePipelineITCase.received(
                                        new PublicImageUpdate(p.getId(), p))));
        InstaHidePipeline.Outputs outputs =
                InstaHidePipeline.build(
                        env.fromData(rawInput, InstaHidePipelineITCase.rawType()),
                        env.fromData(poolInput, InstaHidePipelineITCase.poolType())
                                .setParallelism(1),
                        InstaHidePipelineITCase.settings(T, MixingEngine.JAVA, true),
                        new ImageDecoder(SHAPE, false, 1 << 20, 1 << 22, Duration.ofSeconds(2)),
                        "raw-images");
        CloseableIterator<EncryptedSample> encrypted = outputs.encrypted().collectAsync();
        CloseableIterator<EscrowedKey> escrow = outputs.keyEscrow().collectAsync();
        env.execute("key escrow");
        Map<String, EncryptedSample> samples = new HashMap<>();
        encrypted.forEachRemaining(s -> samples.put(s.getSampleId(), s));
        List<EscrowedKey> keys = new ArrayList<>();
        escrow.forEachRemaining(keys::add);
        return new Run(samples, keys);
    }

    /** The mixing and mask of the spec, in float32 and the reference order, from the key alone. */
    private float[] reproduce(EscrowedKey key) {
        float[] acc = new float[SHAPE.size()];
        for (int s = 0; s < key.getImageIds().size(); s++) {
            float lambda = key.getLambdas().get(s);
            float[] x = images.get(key.getImageIds().get(s));
            assertThat(x).as("image %s", key.getImageIds().get(s)).isNotNull();
            for (int p = 0; p < acc.length; p++) {
                acc[p] = s == 0 ? lambda * x[p] : acc[p] + lambda * x[p];
            }
        }
        long[] mask = new long[MaskBits.wordsFor(acc.length)];
        key.getMask().duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(mask);
        for (int p = 0; p < acc.length; p++) {
            acc[p] = MaskBits.isNegative(mask, 0, p) ? -acc[p] : acc[p];
        }
        return acc;
    }

    /**
     * Same image, different runs: the masks agree on about half of their bits (binomial, ±5σ),
     * coefficients and partners are not repeated.
     */
    private static void assertUnrelated(
            Map<String, List<EscrowedKey>> first, Map<String, List<EscrowedKey>> second) {
        long bits = 0;
        long agreeing = 0;
        int sameLambdas = 0;
        int samePartners = 0;
        int pairs = 0;
        for (Map.Entry<String, List<EscrowedKey>> entry : first.entrySet()) {
            for (int t = 0; t < T; t++) {
                EscrowedKey a = entry.getValue().get(t);
                EscrowedKey b = second.get(entry.getKey()).get(t);
                long[] ma = words(a.getMask());
                long[] mb = words(b.getMask());
                for (int p = 0; p < SHAPE.size(); p++) {
                    bits++;
                    agreeing +=
                            MaskBits.isNegative(ma, 0, p) == MaskBits.isNegative(mb, 0, p) ? 1 : 0;
                }
                sameLambdas += a.getLambdas().equals(b.getLambdas()) ? 1 : 0;
                samePartners += a.getImageIds().equals(b.getImageIds()) ? 1 : 0;
                pairs++;
            }
        }
        assertThat(pairs).isEqualTo(first.size() * T);
        double sigma = Math.sqrt(0.25 / bits);
        assertThat((double) agreeing / bits).isBetween(0.5 - 5 * sigma, 0.5 + 5 * sigma);
        assertThat(sameLambdas).isZero();
        // 39 private partners x 12·11·10 ordered public triples: a repeat is a 1-in-51,480 event.
        assertThat(samePartners).isLessThanOrEqualTo(1);
    }

    private static Map<String, List<EscrowedKey>> byImage(List<EscrowedKey> keys) {
        Map<String, List<EscrowedKey>> byImage = new HashMap<>();
        for (EscrowedKey key : keys) {
            byImage.computeIfAbsent(key.getImageIds().get(0), id -> new ArrayList<>()).add(key);
        }
        return byImage;
    }

    private static long[] words(ByteBuffer mask) {
        long[] words = new long[MaskBits.wordsFor(SHAPE.size())];
        mask.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(words);
        return words;
    }

    private static float[] pixels(EncryptedSample sample) {
        float[] pixels = new float[SHAPE.size()];
        sample.getPixels().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(pixels);
        return pixels;
    }

    private static float[] normalised(ByteBuffer hwc, Normalizer normalizer) {
        byte[] bytes = new byte[hwc.remaining()];
        hwc.duplicate().get(bytes);
        byte[] chw = ImageFitting.hwcToChw(bytes, SHAPE.channels());
        float[] values = new float[chw.length];
        int plane = SHAPE.height() * SHAPE.width();
        for (int p = 0; p < values.length; p++) {
            values[p] = normalizer.normalize(p / plane, chw[p] & 0xff);
        }
        return values;
    }
}
