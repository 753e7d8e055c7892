package io.instahide.job.functions;

import io.instahide.schemas.DeadLetterReason;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.EnumMap;
import java.util.Map;

/** One counter per dead-letter reason: {@code instahide.deadLetters.<REASON>}. */
public final class DeadLetterMetrics {

    private DeadLetterMetrics() {}

    public static Map<DeadLetterReason, Counter> register(MetricGroup group) {
        MetricGroup deadLetters = group.addGroup("instahide").addGroup("deadLetters");
        Map<DeadLetterReason, Counter> counters = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            counters.put(reason, deadLetters.counter(reason.name()));
        }
        return counters;
    }
}
