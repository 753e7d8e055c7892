package io.instahide.demo;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The broker's own ceiling for what the job writes, measured on the same broker in the same run:
 * {@code producers} transactional producers (one per sink subtask) with the encrypted-sample sink's
 * own producer properties send {@code records} random, incompressible values of the job's mean
 * record size, committing a transaction every checkpoint interval, as the sink does. No Flink, no
 * encryption: what Kafka alone takes.
 */
final class ProducerCeiling {

    record Result(long records, long bytes, double seconds) {
        double recordsPerSecond() {
            return records / seconds;
        }

        double megabytesPerSecond() {
            return bytes / seconds / 1e6;
        }
    }

    private ProducerCeiling() {}

    static Result measure(
            String bootstrapServers,
            Properties sinkProperties,
            String topic,
            int partitions,
            int producers,
            int recordBytes,
            long records,
            Duration commitEvery)
            throws InterruptedException, ExecutionException {
        byte[][] values = new byte[16][recordBytes];
        SecureRandom random = new SecureRandom();
        for (byte[] value : values) {
            random.nextBytes(value);
        }
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        try {
            long start = System.nanoTime();
            List<Future<?>> runs = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                long share = records / producers + (p < records % producers ? 1 : 0);
                runs.add(
                        pool.submit(
                                () ->
                                        run(
                                                bootstrapServers,
                                                sinkProperties,
                                                topic,
                                                partitions,
                                                producer,
                                                share,
                                                values,
                                                commitEvery)));
            }
            for (Future<?> run : runs) {
                run.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(records, records * recordBytes, seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void run(
            String bootstrapServers,
            Properties sinkProperties,
            String topic,
            int partitions,
            int producer,
            long records,
            byte[][] values,
            Duration commitEvery) {
        Properties properties = new Properties();
        properties.putAll(sinkProperties);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ceiling-" + topic + "-" + producer);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> kafka =
                new KafkaProducer<>(
                        properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            kafka.initTransactions();
            kafka.beginTransaction();
            long transactionStart = System.nanoTime();
            for (long i = 0; i < records; i++) {
                int partition = (int) ((producer + i) % partitions);
                kafka.send(
                        new ProducerRecord<>(
                                topic, partition, null, values[(int) (i % values.length)]));
                if (System.nanoTime() - transactionStart > commitEvery.toNanos()) {
                    kafka.commitTransaction();
                    kafka.beginTransaction();
                    transactionStart = System.nanoTime();
                }
            }
            kafka.commitTransaction();
        }
    }
}
