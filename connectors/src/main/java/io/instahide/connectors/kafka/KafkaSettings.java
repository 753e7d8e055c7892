package io.instahide.connectors.kafka;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How to reach Kafka: bootstrap servers plus any client properties (security settings such as
 * {@code security.protocol}, {@code sasl.*}, {@code ssl.*}), passed to every consumer and producer.
 */
public final class KafkaSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String bootstrapServers;
    private final TreeMap<String, String> clientProperties;

    public KafkaSettings(String bootstrapServers, Map<String, String> clientProperties) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(
                    "kafka.bootstrap-servers is empty: give host:port[,host:port...]");
        }
        this.bootstrapServers = bootstrapServers;
        this.clientProperties = new TreeMap<>(Objects.requireNonNull(clientProperties));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A fresh copy of the client properties (never includes bootstrap servers). */
    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        return properties;
    }
}
