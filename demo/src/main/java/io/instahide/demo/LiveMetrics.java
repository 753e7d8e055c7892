package io.instahide.demo;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Flink metric reporter that keeps the job's gauges in memory, so that the demo, which runs the
 * job in its own JVM, can show pool size and waiting records live. Register with {@code
 * metrics.reporter.live.factory.class: io.instahide.demo.LiveMetrics$Factory}.
 */
public final class LiveMetrics implements MetricReporter {

    private static final Map<String, List<Gauge<?>>> GAUGES = new ConcurrentHashMap<>();

    /** The factory Flink instantiates by class name. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new LiveMetrics();
        }
    }

    /** The largest value of a gauge over all subtasks (e.g. the pool, held by each). */
    public static long max(String name) {
        return GAUGES.getOrDefault(name, List.of()).stream()
                .mapToLong(LiveMetrics::value)
                .max()
                .orElse(0);
    }

    /** The sum of a gauge over all subtasks (e.g. waiting records). */
    public static long sum(String name) {
        return GAUGES.getOrDefault(name, List.of()).stream().mapToLong(LiveMetrics::value).sum();
    }

    private static long value(Gauge<?> gauge) {
        Object value = gauge.getValue();
        return value instanceof Number number ? number.longValue() : 0;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Gauge<?> gauge) {
            GAUGES.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(gauge);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        List<Gauge<?>> gauges = GAUGES.get(name);
        if (gauges != null) {
            gauges.remove(metric);
        }
    }
}
