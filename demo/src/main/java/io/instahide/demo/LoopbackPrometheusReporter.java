package io.instahide.demo;

import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.PortRange;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Properties;

/**
 * Flink's Prometheus reporter, with its metric names and labels, serving on 127.0.0.1 only: Flink's
 * own binds every interface and has no host option, which a demo on a laptop must not do. Register
 * with {@code metrics.reporter.prom.factory.class:
 * io.instahide.demo.LoopbackPrometheusReporter$Factory} and {@code metrics.reporter.prom.port} (a
 * port or range, as Flink's).
 */
public final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {

    private final HTTPServer server;

    LoopbackPrometheusReporter(PortRange ports) {
        CollectorRegistry registry = registry(this);
        Iterator<Integer> candidates = ports.getPortsIterator();
        HTTPServer started = null;
        IOException last = null;
        while (started == null && candidates.hasNext()) {
            int port = candidates.next();
            try {
                started =
                        new HTTPServer(
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                                registry,
                                true);
            } catch (IOException e) {
                last = e;
            }
        }
        if (started == null) {
            throw new IllegalStateException(
                    "No free port for the Prometheus endpoint in " + ports, last);
        }
        this.server = started;
        log.info("Prometheus metrics on http://127.0.0.1:{}/metrics", server.getPort());
    }

    /** The port it serves on. */
    int port() {
        return server.getPort();
    }

    /**
     * The reporter's own registry, which Flink keeps package-private: a Flink upgrade that renames
     * it fails here, loudly, at the demo's start.
     */
    private static CollectorRegistry registry(AbstractPrometheusReporter reporter) {
        try {
            Field field = AbstractPrometheusReporter.class.getDeclaredField("registry");
            field.setAccessible(true);
            return (CollectorRegistry) field.get(reporter);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "This Flink's AbstractPrometheusReporter has no 'registry' field: update"
                            + " LoopbackPrometheusReporter for it",
                    e);
        }
    }

    @Override
    public void close() {
        server.stop();
        super.close();
    }

    /** The factory Flink instantiates by class name. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new LoopbackPrometheusReporter(
                    new PortRange(properties.getProperty("port", "9249")));
        }
    }
}
