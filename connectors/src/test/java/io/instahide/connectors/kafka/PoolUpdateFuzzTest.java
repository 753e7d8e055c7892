package io.instahide.connectors.kafka;

import io.instahide.connectors.kafka.serde.PublicImageUpdate;
import io.instahide.connectors.kafka.serde.PublicImageUpdateDeserializationSchema;
import io.instahide.connectors.kafka.serde.Received;
import io.instahide.schemas.DeadLetter;

import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The public-pool deserializer on arbitrary keys and values (tombstones included): exactly one
 * update or dead letter per record, never an exception. Fuzzed with {@code scripts/fuzz.sh}.
 */
class PoolUpdateFuzzTest {

    private static final PublicImageUpdateDeserializationSchema SCHEMA =
            new PublicImageUpdateDeserializationSchema();

    /**
     * Input: byte 0 is the key's length (0xff: no key), then the key; the rest is the value (none
     * left: a tombstone).
     */
    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void deserialize(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int keyLength = input[0] & 0xff;
        byte[] key = null;
        int at = 1;
        if (keyLength != 0xff) {
            keyLength = Math.min(keyLength, input.length - 1);
            key = Arrays.copyOfRange(input, 1, 1 + keyLength);
            at += keyLength;
        }
        byte[] value = at < input.length ? Arrays.copyOfRange(input, at, input.length) : null;
        List<Either<DeadLetter, Received<PublicImageUpdate>>> out = new ArrayList<>();
        SCHEMA.deserialize(
                new ConsumerRecord<>("public-images", 0, 7L, key, value),
                new Collector<>() {
                    @Override
                    public void collect(Either<DeadLetter, Received<PublicImageUpdate>> record) {
                        out.add(record);
                    }

                    @Override
                    public void close() {}
                });
        if (out.size() != 1) {
            throw new IllegalStateException(out.size() + " outputs for one record");
        }
    }
}
