package io.instahide.schemas.codec;

import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.PublicImage;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The Confluent wire format against a registry speaking Confluent's REST API. */
class RegistryCodecTest {

    private TestingSchemaRegistry registry;
    private RegistryCodec<ImageRecord> codec;

    @BeforeEach
    void start() throws Exception {
        registry = TestingSchemaRegistry.start();
        codec = codec(registry.url());
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private static RegistryCodec<ImageRecord> codec(String url) {
        return new RegistryCodec<>(
                SingleObjectCodec.imageRecords(),
                new RestSchemaRegistry(url, Duration.ofSeconds(5)),
                RegistryCodec.valueSubject("raw-images"));
    }

    @Test
    void writesMagicZeroTheRegisteredIdAndTheAvroBodyRegisteringOnce() throws Exception {
        ImageRecord record = TestingRecords.image(3);
        byte[] first = codec.encode(record);
        byte[] second = codec.encode(TestingRecords.image(4));

        int id = ByteBuffer.wrap(first, 1, 4).getInt();
        assertThat(first[0]).isZero();
        assertThat(id).isEqualTo(registry.add(ImageRecord.getClassSchema().toString()));
        byte[] singleObject = SingleObjectCodec.imageRecords().encode(record);
        assertThat(Arrays.copyOfRange(first, 5, first.length))
                .as("the same Avro body as the single-object encoding's")
                .isEqualTo(Arrays.copyOfRange(singleObject, 10, singleObject.length));
        assertThat(registry.registrations).containsExactly("raw-images-value");
        assertThat(codec.decode(first)).isEqualTo(record);
        assertThat(codec.decode(second).getLabel()).isEqualTo(4);
        assertThat(codec.decode(singleObject)).as("single-object values too").isEqualTo(record);
    }

    @Test
    void aValueWrittenWithAnOlderSchemaByAnotherProducerResolves() throws Exception {
        Schema v1 = ReleasedSchemas.release("v1").get("ImageRecord");
        int id = registry.add(v1.toString());
        GenericRecord old = new GenericData.Record(v1);
        old.put("deviceId", "camera-v1");
        old.put("captureTime", 1_700_000_000_000L);
        old.put("label", 7);
        old.put("width", 2);
        old.put("height", 2);
        old.put("channels", 1);
        old.put("encoding", new GenericData.EnumSymbol(v1.getField("encoding").schema(), "RAW_U8"));
        old.put("pixels", ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));

        ImageRecord decoded = codec.decode(confluent(id, v1, old));

        assertThat(decoded.getLabel()).isEqualTo(7);
        assertThat(decoded.getDeviceId()).isEqualTo("camera-v1");
    }

    @Test
    void anUnknownIdIsADeadLetterAndIsLookedUpOnce() {
        byte[] value = {0, 0, 0, 0x30, 0x39, 2};
        for (int i = 0; i < 3; i++) {
            RecordDecodeException e =
                    catchThrowableOfType(RecordDecodeException.class, () -> codec.decode(value));
            assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
            assertThat(e.getMessage()).contains("schema id 12345");
        }
        assertThat(registry.lookups).containsExactly(12345);
    }

    /**
     * 200 values with made-up ids within one second (the codec's clock stands still): exactly
     * {@value RegistryCodec#MISSES_PER_SECOND} lookups reach the registry, every value is a dead
     * letter; a second later the budget is back.
     */
    @Test
    void madeUpIdsCannotKeepTheRegistryBusy() {
        AtomicLong now = new AtomicLong();
        RegistryCodec<ImageRecord> throttled =
                new RegistryCodec<>(
                        SingleObjectCodec.imageRecords(),
                        new RestSchemaRegistry(registry.url(), Duration.ofSeconds(5)),
                        RegistryCodec.valueSubject("raw-images"),
                        now::get);
        for (int id = 1_000; id < 1_200; id++) {
            assertUnknown(throttled, id);
        }
        assertThat(registry.lookups).hasSize(RegistryCodec.MISSES_PER_SECOND);
        now.addAndGet(1_000_000_001L);
        assertUnknown(throttled, 5_000);
        assertThat(registry.lookups).hasSize(RegistryCodec.MISSES_PER_SECOND + 1);
    }

    private static void assertUnknown(RegistryCodec<ImageRecord> codec, int id) {
        byte[] value = ByteBuffer.allocate(6).put((byte) 0).putInt(id).put((byte) 2).array();
        RecordDecodeException e =
                catchThrowableOfType(RecordDecodeException.class, () -> codec.decode(value));
        assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
    }

    @Test
    void aSchemaOfAnotherTypeOrAShortOrHostileValueIsADeadLetter() throws Exception {
        int publicImage = registry.add(PublicImage.getClassSchema().toString());
        byte[] otherType = ByteBuffer.allocate(8).put((byte) 0).putInt(publicImage).array();
        RecordDecodeException wrongType =
                catchThrowableOfType(RecordDecodeException.class, () -> codec.decode(otherType));
        assertThat(wrongType.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
        assertThat(wrongType.getMessage()).contains("cannot be read as ImageRecord");

        RecordDecodeException shortValue =
                catchThrowableOfType(
                        RecordDecodeException.class, () -> codec.decode(new byte[] {0, 0, 1}));
        assertThat(shortValue.reason()).isEqualTo(DeadLetterReason.MALFORMED_AVRO);

        byte[] valid = codec.encode(TestingRecords.image(1));
        byte[] hostile = Arrays.copyOf(valid, 12);
        hostile[5] = (byte) 0xFE; // the device id's length: far beyond the value
        hostile[6] = (byte) 0xFF;
        hostile[7] = (byte) 0xFF;
        hostile[8] = (byte) 0xFF;
        hostile[9] = 0x0F;
        RecordDecodeException malformed =
                catchThrowableOfType(RecordDecodeException.class, () -> codec.decode(hostile));
        assertThat(malformed.reason()).isEqualTo(DeadLetterReason.MALFORMED_AVRO);
    }

    @Test
    void anUnreachableRegistryFailsInsteadOfDeadLetteringGoodRecords() {
        byte[] value = codec.encode(TestingRecords.image(2));
        registry.close();
        RegistryCodec<ImageRecord> fresh = codec(registry.url());
        assertThatThrownBy(() -> fresh.decode(value)).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> fresh.encode(TestingRecords.image(2)))
                .isInstanceOf(UncheckedIOException.class);
    }

    private static byte[] confluent(int id, Schema writer, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
