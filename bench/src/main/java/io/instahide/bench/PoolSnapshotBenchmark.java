package io.instahide.bench;

import io.instahide.core.ImageShape;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.state.CheckpointStateOutputStream;
import org.apache.flink.runtime.state.CheckpointedStateScope;
import org.apache.flink.runtime.state.DefaultOperatorStateBackend;
import org.apache.flink.runtime.state.DefaultOperatorStateBackendBuilder;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.filesystem.FsCheckpointStreamFactory;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Milliseconds for one subtask to write the public pool into a checkpoint, as the encryption
 * operator keeps it (broadcast state, image id → CHW uint8 bytes), on Flink's file-system
 * checkpoint stream in a temporary folder. {@code flink} is Flink's own operator-state snapshot
 * ({@link DefaultOperatorStateBackend#snapshot}, run to completion: the asynchronous part of every
 * checkpoint of the encrypting task); {@code bulk} writes the same entries with the same
 * serializers into the same kind of stream, but hands it whole arrays, which Flink 2.2's {@code
 * CompressibleFSDataOutputStream} does not (it inherits {@code OutputStream}'s byte-by-byte loop):
 * the stream's own ceiling, measured in the same run. Their ratio is what the missing override
 * costs each subtask at every checkpoint.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PoolSnapshotBenchmark {

    /**
     * The shape of the operator's broadcast state (the job's {@code EncryptOperator.POOL_STATE}).
     */
    private static final MapStateDescriptor<String, byte[]> POOL =
            new MapStateDescriptor<>(
                    "public-pool",
                    Types.STRING,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    @Param({"1x28x28", "3x32x32", "3x224x224"})
    public String shape;

    /** Pool size; the throughput harness's pools are 4.5–8 MB. */
    @Param({"8"})
    public int poolMegabytes;

    @Param({"flink", "bulk"})
    public String path;

    /**
     * The file-system checkpoint stream's write buffer ({@code
     * execution.checkpointing.write-buffer-size}; Flink's default 4 KB).
     */
    @Param({"4096"})
    public int writeBuffer;

    private java.nio.file.Path directory;
    private FsCheckpointStreamFactory streams;
    private DefaultOperatorStateBackend backend;
    private BroadcastState<String, byte[]> pool;
    private int images;
    private long checkpointId;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        directory = Files.createTempDirectory("pool-snapshot");
        Path checkpoints = Path.fromLocalFile(directory.toFile());
        streams =
                new FsCheckpointStreamFactory(
                        LocalFileSystem.getSharedInstance(),
                        checkpoints,
                        checkpoints,
                        0,
                        writeBuffer);
        backend =
                new DefaultOperatorStateBackendBuilder(
                                getClass().getClassLoader(),
                                new ExecutionConfig(),
                                true,
                                Collections.<OperatorStateHandle>emptyList(),
                                new CloseableRegistry())
                        .build();
        pool = backend.getBroadcastState(POOL);
        int imageBytes = ImageShape.parse(shape).size();
        images = (int) ((long) poolMegabytes * 1_000_000 / imageBytes);
        Random random = new Random(7);
        for (int i = 0; i < images; i++) {
            byte[] pixels = new byte[imageBytes];
            random.nextBytes(pixels);
            pool.put(String.format("public-%08d", i), pixels);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        backend.dispose();
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long snapshot() throws Exception {
        StreamStateHandle written = path.equals("flink") ? flink() : bulk();
        long size = written.getStateSize();
        written.discardState();
        return size;
    }

    private StreamStateHandle flink() throws Exception {
        RunnableFuture<SnapshotResult<OperatorStateHandle>> snapshot =
                backend.snapshot(
                        ++checkpointId,
                        System.currentTimeMillis(),
                        streams,
                        CheckpointOptions.forCheckpointWithDefaultLocation());
        snapshot.run();
        return snapshot.get().getJobManagerOwnedSnapshot().getDelegateStateHandle();
    }

    /** The same entries and serializers as Flink's broadcast-state write, arrays handed whole. */
    private StreamStateHandle bulk() throws Exception {
        TypeSerializer<String> keys = StringSerializer.INSTANCE;
        TypeSerializer<byte[]> values = BytePrimitiveArraySerializer.INSTANCE;
        CheckpointStateOutputStream out =
                streams.createCheckpointStateOutputStream(CheckpointedStateScope.EXCLUSIVE);
        DataOutputViewStreamWrapper view = new DataOutputViewStreamWrapper(out);
        view.writeInt(images);
        for (Map.Entry<String, byte[]> entry : pool.entries()) {
            keys.serialize(entry.getKey(), view);
            values.serialize(entry.getValue(), view);
        }
        return out.closeAndGetHandle();
    }
}
