package io.instahide.job.encrypt;

import io.instahide.core.ImageShape;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.Normalizer;
import io.instahide.job.functions.PoolImage;
import io.instahide.job.functions.PrivateImage;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.codec.SingleObjectCodec;
import io.instahide.schemas.image.ImageFitting;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
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
                MixingEngine.JAVA,
                false);
    }

    private static TwoInputStreamOperatorTestHarness<PrivateImage, PoolImage, EncryptedSample>
            harness(EncryptionSettings settings) throws Exception {
        return new TwoInputStreamOperatorTestHarness<>(new EncryptOperator(settings, TOPIC));
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
                first.processElement1(new PrivateImage(pixels(), i), 0);
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
            // The 5 waiting records, each T=2 times; the restored pool supplied p0.
            assertThat(samples(second)).hasSize(10);
            assertThat(samples(second))
                    .allSatisfy(s -> assertThat(s.getScheme().getK()).isEqualTo(4));
        }
    }

    @Test
    void anImageThatWaitedForThePoolIsNeverItsOwnPartner() throws Exception {
        try (var harness = harness(settings(20, 64, 100))) {
            harness.open();
            harness.processElement1(new PrivateImage(pixels(), 0), 0);
            harness.processElement1(new PrivateImage(pixels(), 1), 0);
            harness.processElement2(new PoolImage("p0", pixels()), 0);
            harness.processElement2(new PoolImage("p1", pixels()), 0);
            harness.setProcessingTime(1_000);

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
                second.processElement1(new PrivateImage(pixels(), 1), 0);
            }
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
                harness.processElement1(new PrivateImage(chw, i), 0);
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
            assertThat(samples(harness)).hasSize(3);
        }
    }

    @Test
    void imagesStillWaitingWhenABoundedInputEndsAreDeadLetteredNotLost() throws Exception {
        try (var harness = harness(settings(1, 4, 100))) {
            harness.open();
            harness.processElement1(new PrivateImage(pixels(), 0), 0);
            harness.processElement1(new PrivateImage(pixels(), 1), 0);
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
                harness.processElement1(new PrivateImage(chw, i % 10), 0);
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
