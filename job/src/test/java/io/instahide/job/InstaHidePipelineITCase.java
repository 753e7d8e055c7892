package io.instahide.job;

import io.instahide.clients.image.ImageDecoder;
import io.instahide.connectors.kafka.serde.PublicImageUpdate;
import io.instahide.connectors.kafka.serde.Received;
import io.instahide.core.ImageShape;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.Normalizer;
import io.instahide.gpu.CudaDevice;
import io.instahide.gpu.GpuUnavailableException;
import io.instahide.job.encrypt.EncryptionSettings;
import io.instahide.job.encrypt.MixingEngine;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.PixelFormat;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Either;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The whole dataflow on a real MiniCluster (parallelism 2), fed from collections. */
class InstaHidePipelineITCase {

    private static final ImageShape SHAPE = new ImageShape(3, 8, 8);
    private static final int CLASSES = 10;

    @RegisterExtension static final MiniClusterExtension FLINK = TestingJobs.miniCluster();

    @Test
    void everyValidImageIsEncryptedTTimesAndBadInputIsDeadLettered() throws Exception {
        int valid = 60;
        int t = 2;
        Random random = new Random(3);
        List<Either<DeadLetter, Received<ImageRecord>>> raw = new ArrayList<>();
        for (int i = 0; i < valid; i++) {
            raw.add(received(rawImage(random, i % CLASSES, SHAPE.width())));
        }
        raw.add(received(rawImage(random, 3, 7))); // wrong size
        raw.add(received(rawImage(random, CLASSES, SHAPE.width()))); // label out of range
        ImageRecord png = rawImage(random, 1, SHAPE.width());
        png.setEncoding(ImageEncoding.PNG); // RAW bytes declared as PNG: undecodable
        raw.add(received(png));
        List<Either<DeadLetter, Received<PublicImageUpdate>>> pool = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pool.add(received(new PublicImageUpdate("p" + i, publicImage(random, "p" + i))));
        }
        pool.add(received(PublicImageUpdate.removal("p0")));

        StreamExecutionEnvironment env = environment();
        InstaHidePipeline.Outputs outputs =
                InstaHidePipeline.build(
                        env.fromData(raw, rawType()),
                        env.fromData(pool, poolType()).setParallelism(1),
                        settings(t),
                        new ImageDecoder(SHAPE, false, 1 << 20, 1 << 22, Duration.ofSeconds(2)),
                        "raw-images");
        List<DeadLetter> deadLetters = new ArrayList<>();
        List<EncryptedSample> samples = new ArrayList<>();
        CloseableIterator<DeadLetter> letters = outputs.deadLetters().collectAsync();
        CloseableIterator<EncryptedSample> encrypted = outputs.encrypted().collectAsync();
        env.execute("pipeline");
        letters.forEachRemaining(deadLetters::add);
        encrypted.forEachRemaining(samples::add);

        assertThat(samples).hasSize(valid * t);
        Set<String> ids = new HashSet<>();
        for (EncryptedSample sample : samples) {
            assertThat(ids.add(sample.getSampleId())).isTrue();
            assertThat(sample.getPixels().remaining()).isEqualTo(SHAPE.size() * 4);
            float[] pixels = new float[SHAPE.size()];
            sample.getPixels()
                    .duplicate()
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(pixels);
            for (float v : pixels) {
                assertThat(Float.isFinite(v)).isTrue();
            }
            double labelSum = sample.getSoftLabel().stream().mapToDouble(Float::doubleValue).sum();
            assertThat(labelSum).isBetween(0.3 - 1e-6, 1.0);
            assertThat(sample.getScheme().getK()).isEqualTo(4);
            assertThat(sample.getScheme().getDom()).isEqualTo(0.3);
        }
        assertThat(deadLetters)
                .extracting(DeadLetter::getReason)
                .containsExactlyInAnyOrder(
                        DeadLetterReason.WRONG_SHAPE,
                        DeadLetterReason.INVALID_LABEL,
                        DeadLetterReason.UNDECODABLE_IMAGE);
        assertThat(deadLetters).allSatisfy(d -> assertThat(d.getMessage()).isNotBlank());
    }

    @Test
    void theCudaEngineEncryptsOnAGpuOrFailsTheJobAtStartWithoutRestartsOrFallback()
            throws Exception {
        Random random = new Random(5);
        List<Either<DeadLetter, Received<ImageRecord>>> raw = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            raw.add(received(rawImage(random, i % CLASSES, SHAPE.width())));
        }
        List<Either<DeadLetter, Received<PublicImageUpdate>>> pool = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pool.add(received(new PublicImageUpdate("p" + i, publicImage(random, "p" + i))));
        }
        StreamExecutionEnvironment env = environment();
        // Restarts allowed: a missing GPU must still fail at once, not retry or fall back.
        env.configure(
                Configuration.fromMap(
                        Map.of(
                                "restart-strategy.type", "fixed-delay",
                                "restart-strategy.fixed-delay.attempts", "3",
                                "restart-strategy.fixed-delay.delay", "10 ms")));
        InstaHidePipeline.Outputs outputs =
                InstaHidePipeline.build(
                        env.fromData(raw, rawType()),
                        env.fromData(pool, poolType()).setParallelism(1),
                        settings(1, new MixingEngine(MixingEngine.Kind.CUDA, 0)),
                        new ImageDecoder(SHAPE, false, 1 << 20, 1 << 22, Duration.ofSeconds(2)),
                        "raw-images");
        CloseableIterator<EncryptedSample> encrypted = outputs.encrypted().collectAsync();
        boolean gpuPresent = catchThrowable(() -> CudaDevice.open(0).close()) == null;

        Throwable failure = catchThrowable(() -> env.execute("cuda-engine"));

        if (gpuPresent) {
            assertThat(failure).isNull();
            List<EncryptedSample> samples = new ArrayList<>();
            encrypted.forEachRemaining(samples::add);
            assertThat(samples).hasSize(20);
        } else {
            assertThat(failure).isNotNull();
            assertThat(ExceptionUtils.findThrowable(failure, SuppressRestartsException.class))
                    .isPresent();
            assertThat(ExceptionUtils.findThrowable(failure, GpuUnavailableException.class))
                    .hasValueSatisfying(
                            e ->
                                    assertThat(e.getMessage())
                                            .contains(
                                                    "encrypt.engine=cuda", "encrypt.engine=java"));
        }
    }

    private static EncryptionSettings settings(int t) {
        return settings(t, MixingEngine.JAVA, false);
    }

    private static EncryptionSettings settings(int t, MixingEngine engine) {
        return settings(t, engine, false);
    }

    /**
     * The ITCases' scheme and stream: k = 4 with 2 private, 3×8×8, CIFAR private and ImageNet
     * public normalisation, 10 classes, batches of 16.
     */
    static EncryptionSettings settings(int t, MixingEngine engine, boolean keyEscrow) {
        return new EncryptionSettings(
                InstaHideParameters.cross(4, 2, 0.65, 0.3),
                SHAPE,
                Normalizer.cifar(),
                Normalizer.imagenet(),
                CLASSES,
                t,
                16,
                Duration.ofMillis(50),
                64,
                1_000,
                100,
                1 << 20,
                engine,
                keyEscrow,
                PixelFormat.FLOAT32);
    }

    static StreamExecutionEnvironment environment() {
        Configuration configuration = new Configuration();
        configuration.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(2);
        return env;
    }

    static TypeInformation<Either<DeadLetter, Received<ImageRecord>>> rawType() {
        return new EitherTypeInfo<>(
                new AvroTypeInfo<>(DeadLetter.class),
                Received.typeOf(new AvroTypeInfo<>(ImageRecord.class)));
    }

    static TypeInformation<Either<DeadLetter, Received<PublicImageUpdate>>> poolType() {
        return new EitherTypeInfo<>(
                new AvroTypeInfo<>(DeadLetter.class),
                Received.typeOf(TypeInformation.of(PublicImageUpdate.class)));
    }

    private static long offset;

    /** {@code record} as the raw source hands it on: with its bytes and a position. */
    static Either<DeadLetter, Received<ImageRecord>> received(ImageRecord record) {
        return Either.Right(
                new Received<>(
                        record,
                        "raw-images",
                        0,
                        offset++,
                        SingleObjectCodec.imageRecords().encode(record)));
    }

    /** {@code update} as the public-pool source hands it on (a removal has no bytes). */
    static Either<DeadLetter, Received<PublicImageUpdate>> received(PublicImageUpdate update) {
        byte[] bytes =
                update.isRemoval() ? null : SingleObjectCodec.publicImages().encode(update.image);
        return Either.Right(new Received<>(update, "public-images", 0, offset++, bytes));
    }

    static ImageRecord rawImage(Random random, int label, int width) {
        byte[] hwc = new byte[SHAPE.height() * width * SHAPE.channels()];
        random.nextBytes(hwc);
        return ImageRecord.newBuilder()
                .setDeviceId("camera-1")
                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setLabel(label)
                .setWidth(width)
                .setHeight(SHAPE.height())
                .setChannels(SHAPE.channels())
                .setEncoding(ImageEncoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(hwc))
                .build();
    }

    static PublicImage publicImage(Random random, String id) {
        byte[] hwc = new byte[SHAPE.size()];
        random.nextBytes(hwc);
        return PublicImage.newBuilder()
                .setId(id)
                .setWidth(SHAPE.width())
                .setHeight(SHAPE.height())
                .setChannels(SHAPE.channels())
                .setEncoding(ImageEncoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(hwc))
                .build();
    }
}
