package io.instahide.job.encrypt;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Metrics of the encryption operator, under {@code <operator>.instahide}:
 *
 * <ul>
 *   <li>{@code encrypted} (counter): encrypted samples emitted;
 *   <li>{@code imagesIn} (counter): private images received;
 *   <li>{@code waiting} (gauge): images waiting for partners;
 *   <li>{@code reservoirSize}, {@code poolSize} (gauges);
 *   <li>{@code poolRejected} (counter): public images not admitted or evicted by the pool limit;
 *   <li>{@code rejectedDraws} (counter): coefficient draws redrawn by the upper/dom bounds;
 *   <li>{@code batchSize}, {@code batchLatencyMs} (histograms): images per flushed batch and the
 *       time a batch took to encrypt and emit;
 *   <li>{@code shuffleWindowImages} (gauge): distinct images whose encryptions wait in the output
 *       shuffle window now, the anonymity set the next release draws from; {@code
 *       shuffleWindowBytes} (gauge): the bytes they hold;
 *   <li>{@code anonymitySet} (histogram): distinct images each release of the shuffle window drew
 *       from (a random half when full, all of it at a checkpoint barrier); its minimum is the
 *       smallest set of images whose encryptions an observer of the topic cannot order;
 *   <li>with {@code encrypt.engine=cuda}, {@code gpuImageBytesUploaded} (gauge): image bytes sent
 *       to the GPU so far; it grows by about one batch and its reservoir copies per batch once the
 *       pool is up (the pool is not re-sent).
 * </ul>
 */
final class EncryptionMetrics {

    final Counter encrypted;
    final Counter imagesIn;
    final Counter poolRejected;
    final Counter rejectedDraws;
    final Histogram batchSize;
    final Histogram batchLatencyMs;
    final Histogram anonymitySet;
    private final MetricGroup group;

    EncryptionMetrics(
            MetricGroup operator, IntSupplier waiting, IntSupplier reservoir, IntSupplier pool) {
        group = operator.addGroup("instahide");
        encrypted = group.counter("encrypted");
        imagesIn = group.counter("imagesIn");
        poolRejected = group.counter("poolRejected");
        rejectedDraws = group.counter("rejectedDraws");
        group.gauge("waiting", (Gauge<Integer>) waiting::getAsInt);
        group.gauge("reservoirSize", (Gauge<Integer>) reservoir::getAsInt);
        group.gauge("poolSize", (Gauge<Integer>) pool::getAsInt);
        batchSize = group.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        batchLatencyMs =
                group.histogram("batchLatencyMs", new DescriptiveStatisticsHistogram(1000));
        anonymitySet = group.histogram("anonymitySet", new DescriptiveStatisticsHistogram(1000));
    }

    /** The output shuffle window's gauges. */
    void window(IntSupplier images, LongSupplier bytes) {
        group.gauge("shuffleWindowImages", (Gauge<Integer>) images::getAsInt);
        group.gauge("shuffleWindowBytes", (Gauge<Long>) bytes::getAsLong);
    }

    /** The GPU engine's transfer gauge. */
    void gpu(LongSupplier imageBytesUploaded) {
        group.gauge("gpuImageBytesUploaded", (Gauge<Long>) imageBytesUploaded::getAsLong);
    }
}
