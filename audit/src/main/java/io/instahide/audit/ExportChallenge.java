package io.instahide.audit;

import io.instahide.clients.CliArgs;
import io.instahide.clients.KafkaClients;
import io.instahide.clients.image.ImageDecoder;
import io.instahide.clients.image.InvalidImageException;
import io.instahide.core.ImageShape;
import io.instahide.core.image.ImageFitting;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.codec.ImageSourceId;
import io.instahide.schemas.codec.RecordDecodeException;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Exports a slice of {@code encrypted-samples} to NumPy files in the InstaHide challenge's layout
 * ({@link ChallengeExport}), and with {@code --key-escrow} the ground truth from the escrow, the
 * raw topic and the public pool.
 */
public final class ExportChallenge {

    static final String USAGE =
            """
            audit/export.sh --kafka.bootstrap-servers HOST:PORT --out DIR
                            [--encrypted encrypted-samples] [--limit N]
                            [--key-escrow TOPIC [--raw raw-images] [--public public-images]]
                            [--kafka.properties.<name> value ...]
            Writes DIR/encryptions.npy (N x H x W x C float32) and DIR/labels.npy; with
            --key-escrow also DIR/truth/ (private and public images, which each sample mixes,
            coefficients, masks). Exit 0 on success, 2 on bad arguments, 1 on an export error.
            """;

    private static final Set<String> OPTIONS =
            Set.of(
                    "kafka.bootstrap-servers",
                    "out",
                    "encrypted",
                    "limit",
                    "key-escrow",
                    "raw",
                    "public");

    private ExportChallenge() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CliArgs cli;
        try {
            cli = CliArgs.parse(args, OPTIONS, Set.of("help"));
            if (cli.has("help")) {
                out.print(USAGE);
                return 0;
            }
            cli.require("kafka.bootstrap-servers");
            cli.require("out");
        } catch (IllegalArgumentException e) {
            err.println("export: " + e.getMessage() + "\n\n" + USAGE);
            return 2;
        }
        try (KafkaConsumer<byte[], byte[]> consumer =
                KafkaClients.consumer(cli.require("kafka.bootstrap-servers"), readCommitted(cli))) {
            Path directory = Path.of(cli.require("out"));
            List<EncryptedSample> samples =
                    samples(
                            consumer,
                            cli.get("encrypted", "encrypted-samples"),
                            cli.getInt("limit", Integer.MAX_VALUE));
            ChallengeExport.writeSamples(directory, samples);
            out.printf("export: %d encrypted samples to %s%n", samples.size(), directory);
            if (cli.has("key-escrow")) {
                Map<String, EscrowedKey> keys = keys(consumer, cli.require("key-escrow"), samples);
                EncryptedSample first = samples.get(0);
                ImageShape shape =
                        new ImageShape(first.getChannels(), first.getHeight(), first.getWidth());
                Set<String> needed = new HashSet<>();
                keys.values().forEach(k -> needed.addAll(k.getImageIds()));
                Map<String, byte[]> images = new HashMap<>();
                readRaw(consumer, cli.get("raw", "raw-images"), shape, needed, images);
                readPublic(consumer, cli.get("public", "public-images"), shape, needed, images);
                ChallengeExport.writeTruth(directory, samples, keys, images::get);
                out.printf(
                        "export: ground truth of %d samples (%d images) to %s%n",
                        samples.size(), images.size(), directory.resolve("truth"));
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("export: " + e.getMessage());
            return 1;
        }
    }

    private static Map<String, String> readCommitted(CliArgs cli) {
        Map<String, String> properties = new HashMap<>(cli.kafkaProperties());
        properties.put("isolation.level", "read_committed");
        return properties;
    }

    private static List<EncryptedSample> samples(
            KafkaConsumer<byte[], byte[]> consumer, String topic, int limit) {
        SingleObjectCodec<EncryptedSample> codec = SingleObjectCodec.encryptedSamples();
        List<EncryptedSample> samples = new ArrayList<>();
        read(
                consumer,
                topic,
                record -> {
                    if (samples.size() < limit) {
                        samples.add(decode(codec, record));
                    }
                });
        return samples;
    }

    private static Map<String, EscrowedKey> keys(
            KafkaConsumer<byte[], byte[]> consumer, String topic, List<EncryptedSample> samples) {
        Set<String> wanted = new HashSet<>();
        samples.forEach(s -> wanted.add(s.getSampleId()));
        SingleObjectCodec<EscrowedKey> codec = SingleObjectCodec.escrowedKeys();
        Map<String, EscrowedKey> keys = new HashMap<>();
        read(
                consumer,
                topic,
                record -> {
                    EscrowedKey key = decode(codec, record);
                    if (wanted.contains(key.getSampleId())) {
                        keys.put(key.getSampleId(), key);
                    }
                });
        return keys;
    }

    /** The private images the escrow names, found by their {@link ImageSourceId}. */
    private static void readRaw(
            KafkaConsumer<byte[], byte[]> consumer,
            String topic,
            ImageShape shape,
            Set<String> needed,
            Map<String, byte[]> images) {
        SingleObjectCodec<ImageRecord> codec = SingleObjectCodec.imageRecords();
        ImageDecoder decoder = decoder(shape);
        collect(
                consumer,
                topic,
                codec,
                (bytes, image) -> ImageSourceId.format(ImageSourceId.of(bytes)),
                image ->
                        hwc(
                                decoder,
                                shape,
                                image.getEncoding(),
                                image.getWidth(),
                                image.getHeight(),
                                image.getChannels(),
                                image.getPixels()),
                needed,
                images);
    }

    /** The public images the escrow names (a tombstone is skipped: the job removed that id). */
    private static void readPublic(
            KafkaConsumer<byte[], byte[]> consumer,
            String topic,
            ImageShape shape,
            Set<String> needed,
            Map<String, byte[]> images) {
        ImageDecoder decoder = decoder(shape);
        collect(
                consumer,
                topic,
                SingleObjectCodec.publicImages(),
                (bytes, image) -> "public:" + image.getId(),
                image ->
                        hwc(
                                decoder,
                                shape,
                                image.getEncoding(),
                                image.getWidth(),
                                image.getHeight(),
                                image.getChannels(),
                                image.getPixels()),
                needed,
                images);
    }

    /**
     * Decodes every record of {@code topic} and keeps the images whose id is {@code needed}.
     * Records that do not decode were dead-lettered by the job: no encryption mixes them.
     */
    private static <T extends SpecificRecordBase> void collect(
            KafkaConsumer<byte[], byte[]> consumer,
            String topic,
            SingleObjectCodec<T> codec,
            BiFunction<byte[], T, String> id,
            Function<T, byte[]> pixels,
            Set<String> needed,
            Map<String, byte[]> images) {
        read(
                consumer,
                topic,
                record -> {
                    if (record.value() == null) {
                        return;
                    }
                    try {
                        T image = codec.decode(record.value());
                        String name = id.apply(record.value(), image);
                        if (needed.contains(name)) {
                            images.put(name, pixels.apply(image));
                        }
                    } catch (RecordDecodeException e) {
                        // never reached the encryption operator
                    }
                });
    }

    /**
     * The job's own decoder for {@code shape}, with its default size and time limits; images of
     * another size are fitted as with {@code image.resize}.
     */
    private static ImageDecoder decoder(ImageShape shape) {
        return new ImageDecoder(shape, true, Integer.MAX_VALUE, 16L << 20, Duration.ofSeconds(2));
    }

    /** The image as HWC bytes of {@code shape}, or null where the job dead-lettered it. */
    private static byte[] hwc(
            ImageDecoder decoder,
            ImageShape shape,
            ImageEncoding encoding,
            int width,
            int height,
            int channels,
            ByteBuffer pixels) {
        try {
            return ImageFitting.chwToHwc(
                    decoder.decode(encoding, width, height, channels, pixels), shape.channels());
        } catch (InvalidImageException e) {
            return null;
        }
    }

    private static void read(
            KafkaConsumer<byte[], byte[]> consumer,
            String topic,
            Consumer<ConsumerRecord<byte[], byte[]>> action) {
        if (consumer.partitionsFor(topic).isEmpty()) {
            throw new IllegalArgumentException("Topic " + topic + " does not exist");
        }
        KafkaClients.readToEnd(consumer, topic, action);
    }

    private static <T extends SpecificRecordBase> T decode(
            SingleObjectCodec<T> codec, ConsumerRecord<byte[], byte[]> record) {
        try {
            return codec.decode(record.value());
        } catch (RecordDecodeException e) {
            throw new IllegalArgumentException(
                    "Record at "
                            + record.topic()
                            + "/"
                            + record.partition()
                            + "@"
                            + record.offset()
                            + " is not a valid record: "
                            + e.getMessage(),
                    e);
        }
    }
}
