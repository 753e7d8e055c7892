package io.instahide.bench;

import io.instahide.core.ImageShape;
import io.instahide.core.InstaHideParameters;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.Normalization;
import io.instahide.schemas.PixelFormat;
import io.instahide.schemas.SchemeParameters;
import io.instahide.schemas.codec.SamplePixels;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Encrypted samples per second from mixed floats to the Kafka record's bytes, single thread, as the
 * sink does it: {@code codec} builds the record with its constructor and encodes it with {@link
 * SingleObjectCodec} (today's path); {@code avro} builds it with the generated builder and encodes
 * it with Avro's own {@code BinaryMessageEncoder} (the path before, and what a user of the Avro
 * library writes), the baseline measured in the same run. Both encode the pixels with {@link
 * SamplePixels} and produce the same bytes. {@code decode}: raw device images (RAW_U8 of the shape)
 * per second from the Kafka value to the record, as the source does it: {@code codec} is {@link
 * SingleObjectCodec#decode} with its hostile-input scan; {@code avro} is Avro's {@code
 * BinaryMessageDecoder} alone (the codec's decoder before, without that scan).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
public class RecordCodecBenchmark {

    @Param({"1x28x28", "3x32x32", "3x224x224"})
    public String shape;

    @Param({"codec", "avro"})
    public String path;

    private ImageShape imageShape;
    private float[] pixels;
    private List<Float> label;
    private SchemeParameters scheme;
    private SingleObjectCodec<EncryptedSample> codec;
    private BinaryMessageEncoder<EncryptedSample> avro;
    private String sampleId;
    private byte[] rawImage;
    private SingleObjectCodec<ImageRecord> images;
    private BinaryMessageDecoder<ImageRecord> avroImages;

    @Setup
    public void setUp() {
        imageShape = ImageShape.parse(shape);
        Random random = new Random(5);
        pixels = new float[imageShape.size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat() * 4 - 2;
        }
        label = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            label.add(c == 3 ? 0.6f : c == 7 ? 0.4f : 0f);
        }
        scheme =
                SchemeParameters.newBuilder()
                        .setSchemeVersion(InstaHideParameters.SCHEME_VERSION)
                        .setK(6)
                        .setPrivateSlots(2)
                        .setUpper(0.65)
                        .setDom(0.3)
                        .setMasked(true)
                        .setNormalization(
                                Normalization.newBuilder()
                                        .setName("cifar")
                                        .setMean(List.of(0.4914f, 0.4822f, 0.4465f))
                                        .setStd(List.of(0.2023f, 0.1994f, 0.2010f))
                                        .build())
                        .setPixelFormat(PixelFormat.FLOAT32)
                        .build();
        codec = SingleObjectCodec.encryptedSamples();
        avro = EncryptedSample.getEncoder();
        sampleId = UUID.randomUUID().toString();
        byte[] hwc = new byte[imageShape.size()];
        random.nextBytes(hwc);
        images = SingleObjectCodec.imageRecords();
        avroImages = ImageRecord.getDecoder();
        rawImage =
                images.encode(
                        ImageRecord.newBuilder()
                                .setDeviceId("camera-17")
                                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L))
                                .setLabel(3)
                                .setWidth(imageShape.width())
                                .setHeight(imageShape.height())
                                .setChannels(imageShape.channels())
                                .setEncoding(ImageEncoding.RAW_U8)
                                .setPixels(ByteBuffer.wrap(hwc))
                                .build());
    }

    @Benchmark
    public ImageRecord decode() throws Exception {
        return path.equals("codec") ? images.decode(rawImage) : avroImages.decode(rawImage);
    }

    @Benchmark
    public byte[] encode() throws IOException {
        ByteBuffer values = SamplePixels.encode(pixels, 0, imageShape.size(), PixelFormat.FLOAT32);
        if (path.equals("codec")) {
            return codec.encode(
                    new EncryptedSample(
                            sampleId,
                            imageShape.channels(),
                            imageShape.height(),
                            imageShape.width(),
                            values,
                            label,
                            scheme));
        }
        EncryptedSample sample =
                EncryptedSample.newBuilder()
                        .setSampleId(sampleId)
                        .setChannels(imageShape.channels())
                        .setHeight(imageShape.height())
                        .setWidth(imageShape.width())
                        .setPixels(values)
                        .setSoftLabel(label)
                        .setScheme(scheme)
                        .build();
        ByteBuffer buffer = avro.encode(sample);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
