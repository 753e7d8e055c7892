package io.instahide.job.encrypt;

import io.instahide.core.ImageShape;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.Normalizer;
import io.instahide.core.image.ImageFitting;
import io.instahide.job.functions.PoolImage;
import io.instahide.job.functions.PrivateImage;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.PixelFormat;
import io.instahide.schemas.codec.SamplePixels;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The encryption operator in Flink's operator test harness: batching, waiting, state. */
class EncryptOperatorTest {

    private static final ImageShape SHAPE = new ImageShape(3, 4, 4);
    private static final String TOPIC = "raw-images";
    private final Random random = new Random(11);

    private static EncryptionSettings settings(int t, int batchSize, int maxWaiting) {
        return settings(t, batchSize, maxWaiting, 1 << 20, false);
    }

    private static EncryptionSettings settings(
            int t, int batchSize, int maxWaiting, long shuffleWindowBytes, boolean keyEscrow) {
        return settings(
                t, batchSize, maxWaiting, shuffleWindowBytes, keyEscrow, PixelFormat.FLOAT32);
    }

    private static EncryptionSettings settings(
            int t,
            int batchSize,
            int maxWaiting,
            long shuffleWindowBytes,
            boolean keyEscrow,
            PixelFormat pixelFormat) {
        return new EncryptionSettings(
                InstaHideParameters.cross(4, 2, 0.65, 0.3),
                SHAPE,
                Normalizer.cifar(),
                Normalizer.cifar(),
                10,
                t,
                batchSize,
                Duration.ofMillis(20),
                16,
                maxWaiting,
                8,
                shuffleWindowBytes,
                MixingEngine.JAVA,
                keyEscrow,
                pixelFormat);
    }

    private static TwoInputStreamOperatorTestHarness<PrivateImage, PoolImage, EncryptedSample>
            harness(EncryptionSettings settings) throws Exception {
        return new TwoInputStreamOperatorTestHarness<>(new EncryptOperator(settings, TOPIC));
    }

    private long nextId = 1;

    /** A validated image as validation hands it on: with its own id. */
    private PrivateImage image(byte[] chw, int label) {
        return new PrivateImage(chw, label, nextId++);
    }

    private byte[] pixels() {
        byte[] chw = new byte[SHAPE.size()];
        random.nextBytes(chw);
        return chw;
    }

    private static List<EncryptedSample> samples(
            TwoInputStreamOperatorTestHarness<?, ?, EncryptedSample> harness) {
        List<EncryptedSample> samples = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> record) {
                samples.add((EncryptedSample) record.getValue());
            }
        }
        return samples;
    }

    @Test
    void coldStartRecordsWaitSurviveARestoreAndAreEncryptedOnceThePoolFills() throws Exception {
        OperatorSubtaskState snapshot;
        try (var first = harness(settings(2, 4, 100))) {
            first.open();
            for (int i = 0; i < 5; i++) {
                first.processElement1(image(pixels(), i), 0);
            }
            first.processElement2(new PoolImage("p0", pixels()), 0); // one public, two needed
            first.prepareSnapshotPreBarrier(1);
            snapshot = first.snapshot(1, 1);
            assertThat(samples(first)).isEmpty();
        }
        try (var second = harness(settings(2, 4, 100))) {
            second.initializeState(snapshot);
            second.open();
            second.processElement2(new PoolImage("p1", pixels()), 0);
            second.setProcessingTime(1_000); // flush the partial batch
            assertThat(samples(second)).as("held in the shuffle window").isEmpty();
            second.prepareSnapshotPreBarrier(2); // a checkpoint empties the window
            // The 5 waiting records, each T=2 times; the restored pool supplied p0.
            assertThat(samples(second)).hasSize(10);
            assertThat(samples(second))
                    .allSatisfy(s -> assertThat(s.getScheme().getK()).isEqualTo(4));
        }
    }

    @Test
    void float16OutputHoldsTwoBytesPerValueAndSaysSo() throws Exception {
        try (var harness = harness(settings(1, 4, 100, 1 << 20, false, PixelFormat.FLOAT16))) {
            harness.open();
            harness.processElement2(new PoolImage("p0", pixels()), 0);
            harness.processElement2(new PoolImage("p1", pixels()), 0);
            for (int i = 0; i < 4; i++) {
                harness.processElement1(image(pixels(), i), 0);
            }
            harness.prepareSnapshotPreBarrier(1);

            assertThat(samples(harness))
                    .hasSize(4)
                    .allSatisfy(
                            sample -> {
                                assertThat(sample.getScheme().getPixelFormat())
                                        .isEqualTo(PixelFormat.FLOAT16);
                                assertThat(sample.getPixels().remaining())
                                        .isEqualTo(2 * SHAPE.size());
                                assertThat(SamplePixels.lengthProblem(sample)).isNull();
                            });
        }
    }

    @Test
    void anImageThatWaitedForThePoolIsNeverItsOwnPartner() throws Exception {
        try (var harness = harness(settings(20, 64, 100))) {
            harness.open();
            harness.processElement1(image(pixels(), 0), 0);
            harness.processElement1(image(pixels(), 1), 0);
            harness.processElement2(new PoolImage("p0", pixels()), 0);
            harness.processElement2(new PoolImage("p1", pixels()), 0);
            harness.setProcessingTime(1_000);
            harness.prepareSnapshotPreBarrier(1);

            // Two private images with labels 0 and 1: with the other as its partner every
            // encryption weighs both classes; its own reservoir copy would weigh one.
            assertThat(samples(harness)).hasSize(40);
            assertThat(samples(harness))
                    .allSatisfy(
                            s -> {
                                assertThat(s.getSoftLabel().get(0)).isPositive();
                                assertThat(s.getSoftLabel().get(1)).isPositive();
                            });
        }
    }

    @Test
    void theRestoredPoolIsIntactWithoutResendingIt() throws Exception {
        OperatorSubtaskState snapshot;
        try (var first = harness(settings(1, 4, 100))) {
            first.open();
            for (int i = 0; i < 3; i++) {
                first.processElement2(new PoolImage("p" + i, pixels()), 0);
            }
            first.processElement2(new PoolImage("p2", null), 0); // removal
            first.prepareSnapshotPreBarrier(1);
            snapshot = first.snapshot(1, 1);
        }
        try (var second = harness(settings(1, 4, 100))) {
            second.initializeState(snapshot);
            second.open();
            for (int i = 0; i < 4; i++) {
                second.processElement1(image(pixels(), 1), 0);
            }
            second.prepareSnapshotPreBarrier(2);
            assertThat(samples(second)).hasSize(4);
        }
    }

    @Test
    void beyondTheWaitingBoundImagesAreDeadLetteredWithTheirPixelsNeverEmittedWeaker()
            throws Exception {
        List<byte[]> inputs = new ArrayList<>();
        try (var harness = harness(settings(1, 4, 3))) {
            harness.open();
            for (int i = 0; i < 5; i++) {
                byte[] chw = pixels();
                inputs.add(chw);
                harness.processElement1(image(chw, i), 0);
            }
            assertThat(samples(harness)).isEmpty();
            List<DeadLetter> letters = new ArrayList<>();
            harness.getSideOutput(EncryptOperator.DEAD_LETTERS)
                    .forEach(r -> letters.add(r.getValue()));
            assertThat(letters).hasSize(2);
            SingleObjectCodec<ImageRecord> codec = SingleObjectCodec.imageRecords();
            for (int i = 0; i < 2; i++) {
                DeadLetter letter = letters.get(i);
                assertThat(letter.getReason()).isEqualTo(DeadLetterReason.NO_PARTNERS);
                assertThat(letter.getMessage()).contains("encrypt.max-waiting=3");
                ImageRecord replay = codec.decode(bytes(letter.getPayload()));
                assertThat(replay.getLabel()).isEqualTo(3 + i);
                assertThat(ImageFitting.hwcToChw(bytes(replay.getPixels()), SHAPE.channels()))
                        .isEqualTo(inputs.get(3 + i));
            }
            // The ones that waited are encrypted once partners exist.
            harness.processElement2(new PoolImage("a", pixels()), 0);
            harness.processElement2(new PoolImage("b", pixels()), 0);
            harness.setProcessingTime(1_000);
            harness.prepareSnapshotPreBarrier(1);
            assertThat(samples(harness)).hasSize(3);
        }
    }

    @Test
    void imagesStillWaitingWhenABoundedInputEndsAreDeadLetteredNotLost() throws Exception {
        try (var harness = harness(settings(1, 4, 100))) {
            harness.open();
            harness.processElement1(image(pixels(), 0), 0);
            harness.processElement1(image(pixels(), 1), 0);
            harness.endInput1();
            harness.endInput2();
            harness.getOperator().finish();
            assertThat(harness.getSideOutput(EncryptOperator.DEAD_LETTERS))
                    .extracting(r -> r.getValue().getReason())
                    .containsExactly(DeadLetterReason.NO_PARTNERS, DeadLetterReason.NO_PARTNERS);
        }
    }

    @Test
    void checkpointsHoldThePoolButNoPrivatePixelsOnceNothingWaits() throws Exception {
        List<byte[]> privates = new ArrayList<>();
        List<byte[]> pool = new ArrayList<>();
        try (var harness = harness(settings(1, 8, 100))) {
            harness.open();
            for (int i = 0; i < 4; i++) {
                byte[] chw = pixels();
                pool.add(chw);
                harness.processElement2(new PoolImage("p" + i, chw), 0);
            }
            for (int i = 0; i < 50; i++) {
                byte[] chw = pixels();
                privates.add(chw);
                harness.processElement1(image(chw, i % 10), 0);
            }
            harness.prepareSnapshotPreBarrier(7); // flushes the partial batch
            assertThat(samples(harness)).hasSize(50);
            byte[] state = operatorState(harness.snapshot(7, 7));
            for (byte[] image : pool) {
                assertThat(indexOf(state, image)).as("public image in state").isNotNegative();
            }
            for (byte[] image : privates) {
                assertThat(indexOf(state, image)).as("private pixels in state").isNegative();
            }
        }
    }

    /**
     * 200 images, T = 5, one checkpoint: in a uniformly random order of the 1,000 encryptions two
     * neighbours encrypt the same image with probability 4/999, about 4 pairs in all (Poisson; more
     * than 20 has probability below 10⁻⁸). Emitted batch by batch, as before the shuffle, 800 of
     * the 999 neighbours share their image.
     */
    @Test
    void theEncryptionsOfOneImageLeaveInARandomOrderNotSideBySide() throws Exception {
        assertThat(neighboursSharingTheirImage(1 << 20)).isLessThanOrEqualTo(20);
        assertThat(neighboursSharingTheirImage(0)).as("shuffle off").isEqualTo(800);
    }

    /** Encrypts 200 images 5 times and counts neighbours in the output that share their image. */
    private int neighboursSharingTheirImage(long windowBytes) throws Exception {
        try (var harness = harness(settings(5, 8, 1_000, windowBytes, true))) {
            harness.open();
            for (int i = 0; i < 4; i++) {
                harness.processElement2(new PoolImage("p" + i, pixels()), 0);
            }
            for (int i = 0; i < 200; i++) {
                harness.processElement1(new PrivateImage(pixels(), i % 10, 1_000 + i), 0);
            }
            harness.prepareSnapshotPreBarrier(1);
            List<String> owners = new ArrayList<>();
            List<String> keyed = new ArrayList<>();
            harness.getSideOutput(EncryptOperator.KEY_ESCROW)
                    .forEach(
                            r -> {
                                owners.add(r.getValue().getImageIds().get(0));
                                keyed.add(r.getValue().getSampleId());
                            });
            // The escrow side output follows the main output record for record.
            assertThat(samples(harness))
                    .extracting(EncryptedSample::getSampleId)
                    .containsExactlyElementsOf(keyed);
            assertThat(owners).hasSize(1_000);
            assertThat(new java.util.HashSet<>(owners)).hasSize(200);
            int same = 0;
            for (int i = 1; i < owners.size(); i++) {
                same += owners.get(i).equals(owners.get(i - 1)) ? 1 : 0;
            }
            return same;
        }
    }

    /**
     * A window of about 10 samples' bytes releases a random half whenever the next sample would not
     * fit: no more than its bound is ever held, and nothing is lost or duplicated.
     */
    @Test
    void aFullWindowEmptiesBeforeItExceedsItsBound() throws Exception {
        long sampleBytes = SHAPE.size() * 4L + 10 * 4 + ShuffleWindow.SAMPLE_OVERHEAD_BYTES;
        try (var harness = harness(settings(1, 4, 100, 10 * sampleBytes, false))) {
            harness.open();
            for (int i = 0; i < 2; i++) {
                harness.processElement2(new PoolImage("p" + i, pixels()), 0);
            }
            for (int i = 0; i < 23; i++) {
                harness.processElement1(image(pixels(), i % 10), 0);
                int encrypted = (i + 1) / 4 * 4; // full batches of 4
                assertThat(encrypted - samples(harness).size()).isBetween(0, 10);
            }
            // 20 encrypted: the 11th and the 16th sample each released 5 of the 10 held, 10 are
            // held; 3 images wait in the batch.
            assertThat(samples(harness)).hasSize(10);
            harness.getOperator().finish();
            assertThat(samples(harness)).hasSize(23);
            assertThat(samples(harness))
                    .extracting(EncryptedSample::getSampleId)
                    .doesNotHaveDuplicates();
        }
    }

    /**
     * With images waiting (the pool lost a public image), a checkpoint holds exactly those images'
     * pixels, the bounded exception; none of the 30 already encrypted, and no key material of any
     * encryption (λ as float32 bytes, mask words), in either byte order.
     */
    @Test
    void aCheckpointWithImagesWaitingHoldsOnlyThoseAndNoKeys() throws Exception {
        List<byte[]> encrypted = new ArrayList<>();
        List<byte[]> waiting = new ArrayList<>();
        try (var harness = harness(settings(2, 8, 100, 1 << 20, true))) {
            harness.open();
            harness.processElement2(new PoolImage("p0", pixels()), 0);
            harness.processElement2(new PoolImage("p1", pixels()), 0);
            for (int i = 0; i < 30; i++) {
                byte[] chw = pixels();
                encrypted.add(chw);
                harness.processElement1(new PrivateImage(chw, i % 10, 5_000 + i), 0);
            }
            harness.prepareSnapshotPreBarrier(1);
            harness.processElement2(new PoolImage("p1", null), 0); // one public image short
            for (int i = 0; i < 5; i++) {
                byte[] chw = pixels();
                waiting.add(chw);
                harness.processElement1(new PrivateImage(chw, i % 10, 6_000 + i), 0);
            }
            harness.prepareSnapshotPreBarrier(2);
            byte[] state = operatorState(harness.snapshot(2, 2));

            assertThat(samples(harness)).hasSize(60);
            for (byte[] image : waiting) {
                assertThat(indexOf(state, image)).as("a waiting image in state").isNotNegative();
            }
            for (byte[] image : encrypted) {
                assertThat(indexOf(state, image)).as("an encrypted image in state").isNegative();
            }
            int keys = 0;
            for (var record : harness.getSideOutput(EncryptOperator.KEY_ESCROW)) {
                var key = record.getValue();
                for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
                    for (float lambda : key.getLambdas()) {
                        byte[] bytes = ByteBuffer.allocate(4).order(order).putFloat(lambda).array();
                        assertThat(indexOf(state, bytes)).as("a coefficient in state").isNegative();
                    }
                    ByteBuffer mask = key.getMask().duplicate().order(ByteOrder.LITTLE_ENDIAN);
                    while (mask.remaining() >= 8) {
                        byte[] word =
                                ByteBuffer.allocate(8).order(order).putLong(mask.getLong()).array();
                        assertThat(indexOf(state, word)).as("mask bits in state").isNegative();
                    }
                }
                keys++;
            }
            assertThat(keys).isEqualTo(60);
        }
    }

    private static byte[] operatorState(OperatorSubtaskState snapshot) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (OperatorStateHandle handle : snapshot.getManagedOperatorState()) {
            try (InputStream in = handle.openInputStream()) {
                in.transferTo(all);
            }
        }
        assertThat(snapshot.getManagedKeyedState()).isEmpty();
        assertThat(snapshot.getRawOperatorState()).isEmpty();
        return all.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
