package io.instahide.demo;

import io.instahide.clients.IdxDataset;
import io.instahide.clients.PoolTopic;

import java.util.Map;

/** Publishes a grey dataset to the compacted public-pool topic, keyed by image id. */
final class PoolPublisher {

    private PoolPublisher() {}

    static void publish(String bootstrapServers, String topic, IdxDataset pool, String idPrefix) {
        int[] shape = {1, pool.height(), pool.width()};
        try (PoolTopic poolTopic = new PoolTopic(bootstrapServers, topic, Map.of())) {
            for (int i = 0; i < pool.size(); i++) {
                poolTopic.put(idPrefix + i, pool.image(i), shape);
            }
        }
    }
}
