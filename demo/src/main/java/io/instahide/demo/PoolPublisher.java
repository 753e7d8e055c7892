package io.instahide.demo;

import io.instahide.clients.ImageDataset;
import io.instahide.clients.PoolTopic;

import java.util.Map;

/** Publishes a dataset to the compacted public-pool topic, keyed by image id. */
final class PoolPublisher {

    private PoolPublisher() {}

    static void publish(String bootstrapServers, String topic, ImageDataset pool, String idPrefix) {
        int[] shape = pool.shape();
        try (PoolTopic poolTopic = new PoolTopic(bootstrapServers, topic, Map.of())) {
            for (int i = 0; i < pool.size(); i++) {
                poolTopic.put(idPrefix + i, pool.image(i), shape);
            }
        }
    }
}
