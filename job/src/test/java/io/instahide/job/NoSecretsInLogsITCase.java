package io.instahide.job;

import io.instahide.clients.image.ImageDecoder;
import io.instahide.connectors.kafka.serde.PublicImageUpdate;
import io.instahide.connectors.kafka.serde.Received;
import io.instahide.core.ImageShape;
import io.instahide.job.encrypt.MixingEngine;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.EscrowedKey;
import io.instahide.schemas.ImageRecord;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Either;
import org.apache.flink.util.CloseableIterator;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job at DEBUG, every logger of the JVM captured while it encrypts known images with the
 * research escrow on (so the keys are known too): no image's pixels (as a byte list, hex or base64)
 * and no key material (coefficients, mask words) appear anywhere in the logs.
 */
class NoSecretsInLogsITCase {

    private static final ImageShape SHAPE = new ImageShape(3, 8, 8);

    @RegisterExtension static final MiniClusterExtension FLINK = TestingJobs.miniCluster();

    /** Every log event of the JVM, formatted with its throwable. */
    private static final class TestingLogAppender extends AbstractAppender {
        private final StringBuilder text = new StringBuilder();

        TestingLogAppender() {
            super("captured", null, null, false, Property.EMPTY_ARRAY);
        }

        @Override
        public synchronized void append(LogEvent event) {
            text.append(event.getLoggerName())
                    .append(' ')
                    .append(event.getMessage().getFormattedMessage())
                    .append('\n');
            if (event.getThrown() != null) {
                StringWriter trace = new StringWriter();
                event.getThrown().printStackTrace(new PrintWriter(trace));
                text.append(trace).append('\n');
            }
        }

        synchronized String text() {
            return text.toString();
        }
    }

    @Test
    void debugLogsCarryNoPixelsAndNoKeys() throws Exception {
        Random random = new Random(31);
        List<ImageRecord> raw = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            raw.add(InstaHidePipelineITCase.rawImage(random, i % 10, SHAPE.width()));
        }
        TestingLogAppender captured = new TestingLogAppender();
        List<EscrowedKey> keys;
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        LoggerConfig root = configuration.getRootLogger();
        Level before = root.getLevel();
        captured.start();
        root.addAppender(captured, Level.DEBUG, null);
        root.setLevel(Level.DEBUG);
        context.updateLoggers();
        try {
            keys = run(raw, random);
        } finally {
            root.removeAppender(captured.getName());
            root.setLevel(before);
            context.updateLoggers();
            captured.stop();
        }

        String logs = captured.text();
        assertThat(logs)
                .as("DEBUG logging was captured")
                .contains("DEBUG_PROBE")
                .hasSizeGreaterThan(10_000);
        assertThat(keys).hasSize(raw.size() * 2);
        for (ImageRecord record : raw) {
            byte[] pixels = bytes(record.getPixels());
            for (String form : forms(Arrays.copyOf(pixels, 12))) {
                assertThat(logs).as("pixels in the logs").doesNotContain(form);
            }
        }
        for (EscrowedKey key : keys) {
            for (float lambda : key.getLambdas()) {
                assertThat(logs)
                        .as("a coefficient in the logs")
                        .doesNotContain(Float.toString(lambda));
            }
            ByteBuffer mask = key.getMask().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            while (mask.remaining() >= 8) {
                long word = mask.getLong();
                assertThat(logs)
                        .as("mask bits in the logs")
                        .doesNotContain(Long.toString(word))
                        .doesNotContain(Long.toHexString(word));
            }
        }
    }

    /** The ways pixels could be printed: a byte list, hex, base64. */
    private static List<String> forms(byte[] bytes) {
        String list = Arrays.toString(bytes);
        return List.of(
                list.substring(1, list.length() - 1),
                HexFormat.of().formatHex(bytes),
                Base64.getEncoder().encodeToString(bytes).substring(0, 12));
    }

    private static List<EscrowedKey> run(List<ImageRecord> raw, Random random) throws Exception {
        LogManager.getLogger(NoSecretsInLogsITCase.class).debug("DEBUG_PROBE");
        StreamExecutionEnvironment env = InstaHidePipelineITCase.environment();
        List<Either<DeadLetter, Received<ImageRecord>>> rawInput = new ArrayList<>();
        raw.forEach(r -> rawInput.add(InstaHidePipelineITCase.received(r)));
        List<Either<DeadLetter, Received<PublicImageUpdate>>> poolInput = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            poolInput.add(
                    InstaHidePipelineITCase.received(
                            new PublicImageUpdate(
                                    "p" + i,
                                    InstaHidePipelineITCase.publicImage(random, "p" + i))));
        }
        InstaHidePipeline.Outputs outputs =
                InstaHidePipeline.build(
                        env.fromData(rawInput, InstaHidePipelineITCase.rawType()),
                        env.fromData(poolInput, InstaHidePipelineITCase.poolType())
                                .setParallelism(1),
                        InstaHidePipelineITCase.settings(2, MixingEngine.JAVA, true),
                        new ImageDecoder(SHAPE, false, 1 << 20, 1 << 22, Duration.ofSeconds(2)),
                        "raw-images");
        CloseableIterator<EscrowedKey> escrow = outputs.keyEscrow().collectAsync();
        var samples = outputs.encrypted().collectAsync();
        env.execute("no secrets in logs");
        List<EscrowedKey> keys = new ArrayList<>();
        escrow.forEachRemaining(keys::add);
        samples.forEachRemaining(sample -> {});
        return keys;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
