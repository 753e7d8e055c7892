package io.instahide.schemas.codec;

import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.PixelFormat;
import io.instahide.schemas.PublicImage;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SingleObjectCodecTest {

    private final SingleObjectCodec<ImageRecord> images = SingleObjectCodec.imageRecords();

    @Test
    void imageRecordRoundTripsWithMarkerAndFingerprint() throws Exception {
        ImageRecord record = TestingRecords.image(3);

        byte[] bytes = images.encode(record);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(images.decode(bytes)).isEqualTo(record);
    }

    @Test
    void everyTopicTypeRoundTrips() throws Exception {
        PublicImage pub =
                PublicImage.newBuilder()
                        .setId("patch-1")
                        .setWidth(2)
                        .setHeight(1)
                        .setChannels(1)
                        .setEncoding(ImageEncoding.RAW_U8)
                        .setPixels(ByteBuffer.wrap(new byte[] {1, 2}))
                        .build();
        EncryptedSample sample =
                EncryptedSample.newBuilder()
                        .setSampleId("3f6c6f1e-0000-4000-8000-000000000000")
                        .setChannels(1)
                        .setHeight(1)
                        .setWidth(1)
                        .setPixels(ByteBuffer.wrap(new byte[4]))
                        .setSoftLabel(List.of(0.25f, 0.75f))
                        .setScheme(TestingSchemes.insideK4(PixelFormat.FLOAT32))
                        .build();
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setSourceTopic("raw-images")
                        .setPartition(3)
                        .setOffset(42L)
                        .setPayload(null)
                        .setReason(DeadLetterReason.WRONG_SHAPE)
                        .setMessage("expected 1x28x28, got 3x32x32")
                        .setTime(Instant.ofEpochMilli(1_700_000_000_000L))
                        .build();

        SingleObjectCodec<PublicImage> pubs = SingleObjectCodec.publicImages();
        SingleObjectCodec<EncryptedSample> samples = SingleObjectCodec.encryptedSamples();
        SingleObjectCodec<DeadLetter> letters = SingleObjectCodec.deadLetters();
        assertThat(pubs.decode(pubs.encode(pub))).isEqualTo(pub);
        assertThat(samples.decode(samples.encode(sample))).isEqualTo(sample);
        assertThat(letters.decode(letters.encode(letter))).isEqualTo(letter);

        // Byte for byte what Avro's own single-object encoder writes, whatever the size of the
        // record before (the codec sizes its output by the last record's).
        assertThat(samples.encode(sample)).isEqualTo(avro(EncryptedSample.getEncoder(), sample));
        assertThat(pubs.encode(pub)).isEqualTo(avro(PublicImage.getEncoder(), pub));
        assertThat(letters.encode(letter)).isEqualTo(avro(DeadLetter.getEncoder(), letter));
        ImageRecord big = TestingRecords.image(3);
        big.setPixels(ByteBuffer.wrap(new byte[100_000]));
        assertThat(images.encode(big)).isEqualTo(avro(ImageRecord.getEncoder(), big));
        ImageRecord small = TestingRecords.image(3);
        assertThat(images.encode(small)).isEqualTo(avro(ImageRecord.getEncoder(), small));
        assertThat(images.encode(big)).isEqualTo(avro(ImageRecord.getEncoder(), big));
    }

    private static <T> byte[] avro(BinaryMessageEncoder<T> encoder, T record) throws Exception {
        ByteBuffer buffer = encoder.encode(record);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Test
    void recordOfAnotherTypeIsAnUnknownSchema() {
        byte[] publicImageBytes =
                SingleObjectCodec.publicImages()
                        .encode(
                                PublicImage.newBuilder()
                                        .setId("x")
                                        .setWidth(1)
                                        .setHeight(1)
                                        .setChannels(1)
                                        .setEncoding(ImageEncoding.RAW_U8)
                                        .setPixels(ByteBuffer.wrap(new byte[1]))
                                        .build());

        RecordDecodeException e =
                catchThrowableOfType(
                        RecordDecodeException.class, () -> images.decode(publicImageBytes));

        assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
        assertThat(e.getMessage()).contains("ImageRecord");
    }

    @Test
    void olderWriterSchemaIsReadOnceRegistered() throws Exception {
        Schema older =
                SchemaBuilder.record("ImageRecord")
                        .namespace("io.instahide.schemas")
                        .fields()
                        .requiredString("deviceId")
                        .name("captureTime")
                        .type(
                                org.apache.avro.LogicalTypes.timestampMillis()
                                        .addToSchema(Schema.create(Schema.Type.LONG)))
                        .noDefault()
                        .requiredInt("width")
                        .requiredInt("height")
                        .requiredInt("channels")
                        .name("encoding")
                        .type(ImageEncoding.getClassSchema())
                        .noDefault()
                        .requiredBytes("pixels")
                        .endRecord();
        org.apache.avro.generic.GenericRecord old =
                new org.apache.avro.generic.GenericData.Record(older);
        old.put("deviceId", "cam-1");
        old.put("captureTime", 5L);
        old.put("width", 1);
        old.put("height", 1);
        old.put("channels", 1);
        old.put(
                "encoding",
                new org.apache.avro.generic.GenericData.EnumSymbol(
                        ImageEncoding.getClassSchema(), "RAW_U8"));
        old.put("pixels", ByteBuffer.wrap(new byte[] {7}));
        byte[] bytes =
                new org.apache.avro.message.BinaryMessageEncoder<
                                org.apache.avro.generic.GenericRecord>(
                                org.apache.avro.generic.GenericData.get(), older)
                        .encode(old)
                        .array();

        assertThat(catchThrowableOfType(RecordDecodeException.class, () -> images.decode(bytes)))
                .isNotNull();
        ImageRecord decoded = images.acceptingWriterSchema(older).decode(bytes);

        assertThat(decoded.getDeviceId()).isEqualTo("cam-1");
        assertThat(decoded.getLabel()).isNull();
    }

    @Test
    void badInputBecomesATypedErrorNeverAnotherException() {
        byte[] valid = images.encode(TestingRecords.image(3));
        Random random = new Random(7);
        byte[] garbageBody = Arrays.copyOf(valid, valid.length);
        for (int i = 10; i < garbageBody.length; i++) {
            garbageBody[i] = (byte) random.nextInt();
        }
        List<byte[]> inputs =
                List.of(
                        new byte[0],
                        new byte[] {1, 2, 3},
                        "{\"json\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        Arrays.copyOf(valid, valid.length / 2),
                        Arrays.copyOf(valid, 10),
                        garbageBody);

        for (byte[] input : inputs) {
            RecordDecodeException e =
                    catchThrowableOfType(RecordDecodeException.class, () -> images.decode(input));
            assertThat(e).as("input of %d bytes", input.length).isNotNull();
            assertThat(e.reason()).isEqualTo(DeadLetterReason.MALFORMED_AVRO);
        }
        RecordDecodeException nullValue =
                catchThrowableOfType(RecordDecodeException.class, () -> images.decode(null));
        assertThat(nullValue.getMessage()).contains("null");
    }

    /**
     * A dead letter written by release v1 (whose reason enum differs from today's, so its
     * fingerprint does too) decodes with the shipped codec, no registration needed.
     */
    @Test
    void recordsOfEveryReleasedWriterSchemaDecode() throws Exception {
        Schema v1 = ReleasedSchemas.release("v1").get("DeadLetter");
        assertThat(SchemaNormalization.parsingFingerprint64(v1))
                .as("v1 differs from the current schema")
                .isNotEqualTo(
                        SchemaNormalization.parsingFingerprint64(DeadLetter.getClassSchema()));
        GenericRecord written = new GenericData.Record(v1);
        written.put("sourceTopic", "raw-images");
        written.put("partition", 1);
        written.put("offset", 42L);
        written.put("payload", ByteBuffer.wrap(new byte[] {1, 2}));
        written.put(
                "reason",
                new GenericData.EnumSymbol(v1.getField("reason").schema(), "MALFORMED_AVRO"));
        written.put("message", "from v1");
        written.put("time", 1_700_000_000_000L);
        ByteBuffer bytes =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(written);
        byte[] value = new byte[bytes.remaining()];
        bytes.get(value);

        DeadLetter read = SingleObjectCodec.deadLetters().decode(value);

        assertThat(read.getOffset()).isEqualTo(42L);
        assertThat(read.getReason()).isEqualTo(DeadLetterReason.MALFORMED_AVRO);
        assertThat(read.getMessage()).isEqualTo("from v1");
    }

    /**
     * 22 bytes whose pixels field declares 1 GB: Avro alone would allocate the gigabyte before
     * finding the bytes missing (an OutOfMemoryError on a small heap, the task lost); the scan
     * refuses it first. The same for a string and for an array count.
     */
    @Test
    void lengthsLargerThanTheValueAreMalformedBeforeAnythingIsAllocated() throws Exception {
        byte[] valid = images.encode(TestingRecords.image(3));
        byte[] header = Arrays.copyOf(valid, 10);
        // deviceId "", captureTime 0, label null, width 2, height 2, channels 1, RAW_U8,
        // pixels: length 2^30 (zig-zag varint 80 80 80 80 08) and nothing after it.
        byte[] body = {0, 0, 0, 4, 4, 2, 0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 8};
        byte[] bomb = Arrays.copyOf(header, header.length + body.length);
        System.arraycopy(body, 0, bomb, header.length, body.length);

        RecordDecodeException e =
                catchThrowableOfType(RecordDecodeException.class, () -> images.decode(bomb));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(DeadLetterReason.MALFORMED_AVRO);
        assertThat(e.getMessage()).contains("declares 1073741824 bytes");
        byte[] stringBomb = Arrays.copyOf(header, header.length + 5);
        System.arraycopy(
                new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 7},
                0,
                stringBomb,
                10,
                5);
        assertThat(
                        catchThrowableOfType(
                                        RecordDecodeException.class,
                                        () -> images.decode(stringBomb))
                                .getMessage())
                .contains("a string declares");
    }

    /** A valid record followed by anything is not that record: strict, one datum per value. */
    @Test
    void bytesAfterTheDatumMakeTheRecordMalformed() throws Exception {
        byte[] valid = images.encode(TestingRecords.image(3));
        for (byte[] tail : List.of(new byte[] {0}, "garbage".getBytes(), valid)) {
            byte[] padded = Arrays.copyOf(valid, valid.length + tail.length);
            System.arraycopy(tail, 0, padded, valid.length, tail.length);
            RecordDecodeException e =
                    catchThrowableOfType(RecordDecodeException.class, () -> images.decode(padded));
            assertThat(e).as("%d trailing bytes", tail.length).isNotNull();
            assertThat(e.reason()).isEqualTo(DeadLetterReason.MALFORMED_AVRO);
            assertThat(e.getMessage()).contains(tail.length + " bytes follow");
        }
        assertThat(images.decode(valid)).isEqualTo(TestingRecords.image(3));
    }

    @Test
    void randomBytesNeverEscapeAsUncheckedExceptions() {
        Random random = new Random(11);
        for (int trial = 0; trial < 2_000; trial++) {
            byte[] input = new byte[random.nextInt(64)];
            random.nextBytes(input);
            if (input.length >= 2 && random.nextBoolean()) {
                input[0] = (byte) 0xC3;
                input[1] = 0x01;
            }
            try {
                images.decode(input);
            } catch (RecordDecodeException expected) {
                assertThat(expected.reason()).isNotNull();
            }
        }
    }
}
