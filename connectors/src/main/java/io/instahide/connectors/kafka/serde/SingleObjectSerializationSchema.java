package io.instahide.connectors.kafka.serde;

import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records to one topic in Avro single-object encoding, without a key (the producer spreads
 * them over partitions; a key would only be something to link samples by).
 */
public final class SingleObjectSerializationSchema<T extends SpecificRecordBase>
        implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final String topic;
    private transient SingleObjectCodec<T> codec;

    public SingleObjectSerializationSchema(Class<T> type, String topic) {
        Codecs.forType(type);
        this.type = type;
        this.topic = topic;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        codec = Codecs.forType(type);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        if (codec == null) {
            codec = Codecs.forType(type);
        }
        return new ProducerRecord<>(topic, null, null, null, codec.encode(element));
    }
}
