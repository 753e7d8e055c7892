package io.instahide.connectors.kafka.serde;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Map;

/**
 * A record as the source received it: the decoded value and where it came from (topic, partition,
 * offset, the value's bytes as received). Everything downstream that needs the origin (a dead
 * letter's provenance, the research escrow's source id) reads it here instead of re-encoding the
 * value. A Flink POJO; {@link #typeOf} gives its type information for a value type.
 *
 * @param <T> the decoded value
 */
public final class Received<T> {

    public T value;
    public String topic;
    public int partition;
    public long offset;

    /** The Kafka value's bytes exactly as received. */
    public byte[] bytes;

    public Received() {}

    public Received(T value, String topic, int partition, long offset, byte[] bytes) {
        this.value = value;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.bytes = bytes;
    }

    /** {@code value} with the origin of the Kafka {@code record} it was decoded from. */
    public static <T> Received<T> of(T value, ConsumerRecord<byte[], byte[]> record) {
        return new Received<>(
                value, record.topic(), record.partition(), record.offset(), record.value());
    }

    /** The same origin with another value (e.g. the value validated). */
    public <U> Received<U> with(U other) {
        return new Received<>(other, topic, partition, offset, bytes);
    }

    /** The POJO type of {@code Received<T>} for a value of type information {@code value}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T> TypeInformation<Received<T>> typeOf(TypeInformation<T> value) {
        return (TypeInformation)
                Types.POJO(
                        Received.class,
                        Map.of(
                                "value", value,
                                "topic", Types.STRING,
                                "partition", Types.INT,
                                "offset", Types.LONG,
                                "bytes", Types.PRIMITIVE_ARRAY(Types.BYTE)));
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
