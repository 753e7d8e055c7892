package io.instahide.connectors.kafka;

import io.instahide.connectors.kafka.serde.RecordSerializationSchema;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema.KafkaSinkContext;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** What the serializer puts on a record besides its value: nothing that links records. */
class RecordSerializationSchemaTest {

    private static final String TOPIC = "encrypted-samples";

    /** A sink context over a topic with the given partitions (the sink's metadata view). */
    private record TestingSinkContext(int[] partitions) implements KafkaSinkContext {
        @Override
        public int getParallelInstanceId() {
            return 0;
        }

        @Override
        public int getNumberOfParallelInstances() {
            return 1;
        }

        @Override
        public int[] getPartitionsForTopic(String topic) {
            assertThat(topic).isEqualTo(TOPIC);
            return partitions;
        }
    }

    @Test
    void writesTheValueAloneAndLeavesPartitioningToTheProducerByDefault() throws Exception {
        var schema = new RecordSerializationSchema<>(EncryptedSample.class, TOPIC);
        EncryptedSample sample = KafkaRoundTripITCase.sample(3);
        schema.open(null, new TestingSinkContext(new int[] {0, 1}));

        ProducerRecord<byte[], byte[]> record =
                schema.serialize(sample, new TestingSinkContext(new int[] {0, 1}), 1234L);

        assertThat(record.topic()).isEqualTo(TOPIC);
        assertThat(record.key()).isNull();
        assertThat(record.partition()).isNull();
        assertThat(record.timestamp()).as("the producer stamps its send time").isNull();
        assertThat(record.headers().toArray()).isEmpty();
        assertThat(SingleObjectCodec.encryptedSamples().decode(record.value())).isEqualTo(sample);
    }

    /**
     * 40,000 records over partitions {2, 5, 7, 9}: each partition's count is within 5σ of a uniform
     * draw (σ = √(n·¼·¾) ≈ 87), and consecutive records share a partition 1/4 of the time (±5σ, σ ≈
     * 0.0022), not in runs as a sticky partitioner would send them.
     */
    @Test
    void uniformPartitionsDrawEveryRecordsPartitionIndependently() {
        int[] partitions = {2, 5, 7, 9};
        var context = new TestingSinkContext(partitions);
        var schema =
                RecordSerializationSchema.uniformPartitions(
                        EncryptedSample.class, TOPIC, () -> new SplittableRandom(17), null);
        schema.open(null, context);
        int n = 40_000;
        int[] counts = new int[10];
        int same = 0;
        int previous = -1;
        EncryptedSample sample = KafkaRoundTripITCase.sample(1);
        for (int i = 0; i < n; i++) {
            ProducerRecord<byte[], byte[]> record = schema.serialize(sample, context, null);
            assertThat(record.key()).isNull();
            int partition = record.partition();
            counts[partition]++;
            same += partition == previous ? 1 : 0;
            previous = partition;
        }
        double sigma = Math.sqrt(n * 0.25 * 0.75);
        for (int partition : partitions) {
            assertThat((double) counts[partition])
                    .isBetween(n / 4.0 - 5 * sigma, n / 4.0 + 5 * sigma);
        }
        assertThat(counts[0] + counts[1] + counts[3]).isZero();
        double pairSigma = Math.sqrt(0.25 * 0.75 / (n - 1));
        assertThat((double) same / (n - 1)).isBetween(0.25 - 5 * pairSigma, 0.25 + 5 * pairSigma);
    }
}
