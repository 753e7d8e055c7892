package io.instahide.job;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.MultipleConnectedStreams;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.operators.AbstractInput;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorV2;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.Input;
import org.apache.flink.streaming.api.operators.MultipleInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.transformations.MultipleInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why the encryption operator is not chained to its Kafka source (issue 18 asked for it; see
 * docs/performance.md, "Source chaining"): Flink 2.2 chains a FLIP-27 source into a multiple-input
 * operator of strategy {@code HEAD_WITH_SOURCES}, but leaves the source's operator id out of the
 * task's operator list, so no checkpoint or savepoint can map the source's state (the Kafka
 * offsets) to it: a savepoint of today's job does not restore into such a dataflow ("Cannot map
 * checkpoint/savepoint state for operator … raw-images-source … not available in the new program").
 * This test watches for the Flink release that registers it: when it fails, source chaining is
 * worth building again.
 */
class FlinkSourceChainingTest {

    @Test
    void flinkLeavesAChainedSourceOutOfItsTasksOperatorIds() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Long> chained = numbers(env, "chained source");
        DataStream<Long> broadcast = numbers(env, "broadcast source");
        MultipleInputTransformation<Long> both =
                new MultipleInputTransformation<>(
                        "both", new PassOnFactory(), Types.LONG, chained.getParallelism(), false);
        both.addInput(chained.getTransformation());
        both.addInput(broadcast.broadcast().getTransformation());
        both.setUid("both");
        new MultipleConnectedStreams(env).transform(both).sinkTo(new DiscardingSink<>());
        JobGraph graph = env.getStreamGraph().getJobGraph();

        JobVertex task = null;
        for (JobVertex vertex : graph.getVertices()) {
            if (vertex.getName().contains("[Source: chained source]")) {
                task = vertex;
            }
        }
        assertThat(task).as("the source is chained into the operator's task").isNotNull();
        assertThat(task.getOperatorIDs())
                .extracting(OperatorIDPair::getGeneratedOperatorID)
                .as("operators whose state the task's checkpoints can carry")
                .contains(idOf("both"))
                .doesNotContain(idOf("chained-source"));
    }

    /** A FLIP-27 source whose uid is its name with dashes. */
    private static DataStream<Long> numbers(StreamExecutionEnvironment env, String name) {
        return env.fromSource(
                        new NumberSequenceSource(0, 9), WatermarkStrategy.noWatermarks(), name)
                .uid(name.replace(' ', '-'));
    }

    /** The id Flink derives from a uid (murmur3_128, seed 0, of its UTF-8 bytes). */
    private static OperatorID idOf(String uid) {
        return new OperatorID(
                org.apache.flink.shaded.guava33.com.google.common.hash.Hashing.murmur3_128(0)
                        .newHasher()
                        .putString(uid, StandardCharsets.UTF_8)
                        .hash()
                        .asBytes());
    }

    private static final class PassOnFactory extends AbstractStreamOperatorFactory<Long> {

        PassOnFactory() {
            setChainingStrategy(ChainingStrategy.HEAD_WITH_SOURCES);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends StreamOperator<Long>> T createStreamOperator(
                StreamOperatorParameters<Long> parameters) {
            return (T) new PassOn(parameters);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
            return PassOn.class;
        }
    }

    private static final class PassOn extends AbstractStreamOperatorV2<Long>
            implements MultipleInputStreamOperator<Long> {

        PassOn(StreamOperatorParameters<Long> parameters) {
            super(parameters, 2);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public List<Input> getInputs() {
            return List.of(new Forward(this, 1), new Forward(this, 2));
        }
    }

    private static final class Forward extends AbstractInput<Long, Long> {

        Forward(AbstractStreamOperatorV2<Long> owner, int inputId) {
            super(owner, inputId);
        }

        @Override
        public void processElement(StreamRecord<Long> element) {
            output.collect(element);
        }
    }
}
