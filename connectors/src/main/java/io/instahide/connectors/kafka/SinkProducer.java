package io.instahide.connectors.kafka;

import java.util.Map;
import java.util.Properties;

/**
 * How a sink's producer batches and compresses, by what it writes; the job's {@code
 * kafka.properties.*} and then the sink's own {@code kafka.<sink>.properties.*} override these
 * defaults.
 */
public enum SinkProducer {

    /**
     * Encrypted samples and escrowed keys: sign-masked floats do not compress (lz4 ratio 1.13 on
     * MNIST samples, measured for issue 18, while its framing took a quarter of the encrypting
     * thread), so no compression, and batches of 256 KB (dozens of 3×32×32 samples, one 3×224×224)
     * so that a request carries many records.
     */
    INCOMPRESSIBLE(Map.of("compression.type", "none", "batch.size", "262144", "linger.ms", "5")),

    /** Dead letters: the raw bytes of bad records, which compress and are few. */
    COMPRESSIBLE(Map.of("compression.type", "lz4"));

    private final Map<String, String> defaults;

    SinkProducer(Map<String, String> defaults) {
        this.defaults = defaults;
    }

    public Map<String, String> defaults() {
        return defaults;
    }

    /** The defaults, then {@code common}, then {@code own}: later ones win. */
    Properties properties(Properties common, Map<String, String> own) {
        Properties properties = new Properties();
        properties.putAll(defaults);
        properties.putAll(common);
        properties.putAll(own);
        return properties;
    }
}
