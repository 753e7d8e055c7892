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
    private final TreeMap<String, String> encryptedSinkProperties;
    private final TreeMap<String, String> deadLetterSinkProperties;
    private final String schemaRegistryUrl;

    public KafkaSettings(String bootstrapServers, Map<String, String> clientProperties) {
        this(bootstrapServers, clientProperties, Map.of(), Map.of(), null);
    }

    /**
     * @param encryptedSinkProperties producer properties of the encrypted-samples and key-escrow
     *     sinks only, over {@code clientProperties}
     * @param deadLetterSinkProperties producer properties of the dead-letter sink only
     * @param schemaRegistryUrl a Confluent-compatible schema registry: every topic is then written
     *     in its wire format and read in both; null for single-object encoding everywhere
     */
    public KafkaSettings(
            String bootstrapServers,
            Map<String, String> clientProperties,
            Map<String, String> encryptedSinkProperties,
            Map<String, String> deadLetterSinkProperties,
            String schemaRegistryUrl) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(
                    "kafka.bootstrap-servers is empty: give host:port[,host:port...]");
        }
        this.bootstrapServers = bootstrapServers;
        this.clientProperties = new TreeMap<>(Objects.requireNonNull(clientProperties));
        this.encryptedSinkProperties = new TreeMap<>(encryptedSinkProperties);
        this.deadLetterSinkProperties = new TreeMap<>(deadLetterSinkProperties);
        this.schemaRegistryUrl = schemaRegistryUrl;
    }

    /** The schema registry's base URL; null (or blank) when topics use single-object encoding. */
    public String schemaRegistryUrl() {
        return schemaRegistryUrl;
    }

    /**
     * The encrypted-samples (and key-escrow) producers' properties: {@link
     * SinkProducer#INCOMPRESSIBLE} under the common and own ones.
     */
    public Properties encryptedSinkProperties() {
        return SinkProducer.INCOMPRESSIBLE.properties(clientProperties(), encryptedSinkProperties);
    }

    /**
     * The dead-letter producer's properties: {@link SinkProducer#COMPRESSIBLE} under the common and
     * own ones.
     */
    public Properties deadLetterSinkProperties() {
        return SinkProducer.COMPRESSIBLE.properties(clientProperties(), deadLetterSinkProperties);
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
