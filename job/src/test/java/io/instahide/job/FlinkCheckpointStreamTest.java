package io.instahide.job;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.runtime.state.CompressibleFSDataOutputStream;
import org.apache.flink.runtime.state.UncompressedStreamCompressionDecorator;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why the public pool's share of every checkpoint costs more than its bytes (docs/performance.md,
 * "Where the time goes at 3×224×224"): Flink 2.2's operator-state snapshot writes through {@link
 * CompressibleFSDataOutputStream}, which inherits {@code OutputStream}'s byte-by-byte loop for
 * arrays, so each byte of the pool's broadcast state is one call into the checkpoint stream ({@code
 * bench/run.sh PoolSnapshotBenchmark} measures what that costs against the same stream fed whole
 * arrays). This test watches for the Flink release that passes arrays on: when it fails, rerun that
 * benchmark and the latency figures of {@code demo/throughput.sh}, and update the docs.
 */
class FlinkCheckpointStreamTest {

    @Test
    void flinksSnapshotStreamHandsOnArraysOneByteAtATime() throws IOException {
        CountingStream file = new CountingStream();
        try (CompressibleFSDataOutputStream snapshot =
                new CompressibleFSDataOutputStream(
                        file, UncompressedStreamCompressionDecorator.INSTANCE)) {
            snapshot.write(new byte[4096], 0, 4096);
        }

        assertThat(file.bytes).isEqualTo(4096);
        assertThat(file.arrayCalls)
                .as("Flink now passes arrays on to its checkpoint stream: re-measure (see above)")
                .isZero();
        assertThat(file.byteCalls).isEqualTo(4096);
    }

    /** A checkpoint file that counts how it is written to. */
    private static final class CountingStream extends FSDataOutputStream {
        long bytes;
        long byteCalls;
        long arrayCalls;

        @Override
        public void write(int b) {
            bytes++;
            byteCalls++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
            arrayCalls++;
        }

        @Override
        public long getPos() {
            return bytes;
        }

        @Override
        public void flush() {}

        @Override
        public void sync() {}

        @Override
        public void close() {}
    }
}
