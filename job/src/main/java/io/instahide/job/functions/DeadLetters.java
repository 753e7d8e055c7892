package io.instahide.job.functions;

import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;

import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.OutputTag;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where an operator's dead letters go: the side output {@link #TAG} that the pipeline sends to the
 * dead-letter topic, and one counter per reason, {@code instahide.deadLetters.<REASON>}. The
 * letters themselves are built by {@link io.instahide.connectors.kafka.serde.DeadLetterFactory}.
 */
public final class DeadLetters {

    public static final OutputTag<DeadLetter> TAG =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private final Map<DeadLetterReason, Counter> counters;

    private DeadLetters(Map<DeadLetterReason, Counter> counters) {
        this.counters = counters;
    }

    /** Registers the counters under {@code group}'s {@code instahide.deadLetters}. */
    public static DeadLetters register(MetricGroup group) {
        MetricGroup deadLetters = group.addGroup("instahide").addGroup("deadLetters");
        Map<DeadLetterReason, Counter> counters = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            counters.put(reason, deadLetters.counter(reason.name()));
        }
        return new DeadLetters(counters);
    }

    /** Counts {@code letter} under its reason and returns it, for the side output. */
    public DeadLetter counted(DeadLetter letter) {
        counters.get(letter.getReason()).inc();
        return letter;
    }
}
