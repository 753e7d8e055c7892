package io.instahide.job.encrypt;

import io.instahide.core.EncodedBatch;
import io.instahide.core.InstaHideEncoder;
import io.instahide.core.KeyMaterialSource;
import io.instahide.core.KeyStreamRandom;
import io.instahide.core.MixSources;
import io.instahide.core.Mixer;
import io.instahide.core.PackedImageSet;
import io.instahide.core.U8ImageList;
import io.instahide.gpu.CudaMixer;
import io.instahide.gpu.GpuUnavailableException;
import io.instahide.job.functions.DeadLetters;
import io.instahide.job.functions.PoolImage;
import io.instahide.job.functions.PrivateImage;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;

import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encrypts private images (input 1) with InstaHide against the public pool (input 2, broadcast).
 *
 * <ul>
 *   <li>Public pool: broadcast state {@link #POOL_STATE} (id → CHW bytes, compact uint8), mirrored
 *       into an indexable {@link PublicPool}; updates are deterministic and order-independent.
 *   <li>Private partners: a transient {@link PrivateReservoir} of recent images of this subtask.
 *   <li>Records that cannot be encrypted yet (too few partners: cold start, pool emptied) wait in a
 *       bounded list, which is the only private data in checkpoints ({@link #WAITING_STATE}). Flink
 *       refuses checkpointing for operators that select their input ({@code InputSelectable}), so a
 *       full waiting set cannot pause the private input while the pool input keeps flowing;
 *       instead, images beyond the bound go to {@link #DEAD_LETTERS} with reason {@code
 *       NO_PARTNERS} and their pixels (never emitted with fewer partners, never lost), as do images
 *       still waiting when a bounded input ends.
 *   <li>Ready records collect in a micro-batch flushed when full, after {@code batchLatency}, and
 *       always before a checkpoint barrier ({@link #prepareSnapshotPreBarrier}), so no buffered
 *       record reaches a checkpoint and none is lost or duplicated.
 *   <li>Encrypted samples leave through a {@link ShuffleWindow}: held over many micro-batches, a
 *       random half emitted in a secure random order when it is full, all of it before every
 *       checkpoint barrier and at end of input, so output order does not group the encryptions of
 *       one image.
 * </ul>
 *
 * Keys come from a {@link KeyStreamRandom} per subtask and never leave {@link InstaHideEncoder},
 * unless {@link EncryptionSettings#keyEscrow()} is on (research audits only): then every key goes
 * to {@link #KEY_ESCROW} with the sample it produced.
 */
public final class EncryptOperator extends AbstractStreamOperator<EncryptedSample>
        implements TwoInputStreamOperator<PrivateImage, PoolImage, EncryptedSample> {

    public static final MapStateDescriptor<String, byte[]> POOL_STATE =
            new MapStateDescriptor<>(
                    "public-pool",
                    Types.STRING,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    public static final ListStateDescriptor<PrivateImage> WAITING_STATE =
            new ListStateDescriptor<>(
                    "waiting-for-partners", TypeInformation.of(PrivateImage.class));

    /** Images that could not get partners (see {@link #deadLetter}). */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = DeadLetters.TAG;

    /** Escrowed keys, one per encrypted sample, when {@link EncryptionSettings#keyEscrow()}. */
    public static final OutputTag<EscrowedKey> KEY_ESCROW =
            new OutputTag<>("key-escrow", new AvroTypeInfo<>(EscrowedKey.class));

    private static final Logger LOG = LoggerFactory.getLogger(EncryptOperator.class);

    private final EncryptionSettings settings;
    private final String topic;

    private transient BroadcastState<String, byte[]> poolState;
    private transient ListState<PrivateImage> waitingState;
    private transient PublicPool pool;
    private transient PrivateReservoir reservoir;
    private transient ArrayDeque<PrivateImage> waiting;
    private transient U8ImageList batch;
    private transient EncodedBatch encoded;
    private transient InstaHideEncoder<PackedImageSet> encoder;
    private transient KeyMaterialSource random;
    private transient EncryptedSampleWriter writer;
    private transient EncryptionMetrics metrics;
    private transient boolean flushTimerSet;
    private transient DeadLetters deadLetters;
    private transient UnpairedImages waitingDeadLetters;
    private transient BatchKeys keys;
    private transient ShuffleWindow window;

    /**
     * @param topic the private images' topic, named in dead letters
     */
    public EncryptOperator(EncryptionSettings settings, String topic) {
        this.settings = settings;
        this.topic = topic;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        poolState = context.getOperatorStateStore().getBroadcastState(POOL_STATE);
        waitingState = context.getOperatorStateStore().getListState(WAITING_STATE);
        pool =
                new PublicPool(
                        settings.shape(), settings.publicNormalizer(), settings.maxPoolSize());
        // Rebuild the mirror in a fixed order so that every subtask indexes the same way.
        Map<String, byte[]> sorted = new TreeMap<>();
        for (Map.Entry<String, byte[]> entry : poolState.entries()) {
            sorted.put(entry.getKey(), entry.getValue());
        }
        sorted.forEach(pool::put);
        waiting = new ArrayDeque<>();
        for (PrivateImage image : waitingState.get()) {
            waiting.add(image);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        reservoir =
                new PrivateReservoir(
                        settings.shape(), settings.privateNormalizer(), settings.reservoirSize());
        batch =
                new U8ImageList(
                        settings.shape(), settings.privateNormalizer(), settings.batchSize());
        encoded = new EncodedBatch(settings.shape(), settings.classes());
        random = KeyStreamRandom.fromOsEntropy();
        Mixer<? super PackedImageSet> mixer = openMixer();
        encoder =
                new InstaHideEncoder<>(
                        settings.parameters(), settings.shape(), settings.classes(), mixer, random);
        writer =
                new EncryptedSampleWriter(
                        settings.parameters(),
                        settings.shape(),
                        settings.privateNormalizer(),
                        settings.pixelFormat());
        metrics =
                new EncryptionMetrics(
                        getMetricGroup(),
                        () -> waiting.size(),
                        () -> reservoir.size(),
                        () -> pool.size());
        if (mixer instanceof CudaMixer cuda) {
            metrics.gpu(cuda::imageBytesUploaded);
        }
        window = new ShuffleWindow(settings.shuffleWindowBytes(), random, new Emitted());
        metrics.window(window::images, window::bytes);
        if (!window.enabled()) {
            LOG.warn(
                    "THE OUTPUT SHUFFLE IS OFF (encrypt.shuffle-window=0): the encryptions of one"
                            + " image leave next to each other, which groups them for the known"
                            + " attacks. For privacy audits only.");
        }
        deadLetters = DeadLetters.register(getMetricGroup());
        waitingDeadLetters = new UnpairedImages(settings.shape(), topic);
        keys =
                settings.keyEscrow()
                        ? BatchKeys.escrowed(settings.parameters().privateSlots())
                        : BatchKeys.DISCARDED;
        // Restored waiting records rejoin the reservoir, so they can be partners again.
        for (PrivateImage image : waiting) {
            reservoir.add(image.id, image.label, image.pixels);
        }
    }

    /**
     * The configured engine's mixer. A missing GPU is a deployment problem that retrying cannot
     * fix, so it fails the job at once with the reason, without restarts.
     */
    private Mixer<? super PackedImageSet> openMixer() {
        try {
            Mixer<? super PackedImageSet> mixer =
                    settings.engine()
                            .open(
                                    settings.shape(),
                                    settings.parameters().k(),
                                    settings.batchSize(),
                                    getRuntimeContext().getExternalResourceInfos("gpu"),
                                    getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
            if (mixer instanceof CudaMixer cuda) {
                LOG.info("Encrypting on {}", cuda.deviceDescription());
            }
            return mixer;
        } catch (GpuUnavailableException e) {
            throw new SuppressRestartsException(e);
        }
    }

    @Override
    public void processElement1(StreamRecord<PrivateImage> element) throws Exception {
        PrivateImage image = element.getValue();
        metrics.imagesIn.inc();
        reservoir.add(image.id, image.label, image.pixels);
        if (!partnersAvailable() || !waiting.isEmpty()) {
            if (waiting.size() >= settings.maxWaiting()) {
                deadLetter(
                        image,
                        "the waiting set is full (encrypt.max-waiting="
                                + settings.maxWaiting()
                                + ")");
                return;
            }
            waiting.add(image);
            drainWaiting();
            return;
        }
        addToBatch(image);
    }

    @Override
    public void processElement2(StreamRecord<PoolImage> element) throws Exception {
        PoolImage update = element.getValue();
        if (update.isRemoval()) {
            poolState.remove(update.id);
            pool.remove(update.id);
            return;
        }
        String evicted = pool.put(update.id, update.pixels);
        if (evicted == null || !evicted.equals(update.id)) {
            poolState.put(update.id, update.pixels);
        }
        if (evicted != null) {
            poolState.remove(evicted);
            metrics.poolRejected.inc();
        }
        drainWaiting();
    }

    private boolean partnersAvailable() {
        return encoder.canEncrypt(reservoir.size(), pool.size());
    }

    private void drainWaiting() throws Exception {
        while (!waiting.isEmpty() && partnersAvailable()) {
            addToBatch(waiting.poll());
        }
    }

    /** Adds under the image's own id, so its reservoir copy is never its partner. */
    private void addToBatch(PrivateImage image) throws Exception {
        batch.add(image.id, image.label, image.pixels);
        if (batch.size() >= settings.batchSize()) {
            flush();
        } else if (!flushTimerSet) {
            flushTimerSet = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService()
                    .registerTimer(
                            now + settings.batchLatency().toMillis(), time -> onFlushTimer());
        }
    }

    private void onFlushTimer() throws Exception {
        flushTimerSet = false;
        flush();
    }

    private void flush() throws Exception {
        if (batch.size() == 0) {
            return;
        }
        long start = System.nanoTime();
        long rejectedBefore = encoder.rejectedDraws();
        int t = settings.encryptionsPerImage();
        encoder.encode(
                new MixSources<>(batch, reservoir.images(), pool.images()),
                t,
                encoded,
                keys.collect(batch.size() * t));
        for (int i = 0; i < encoded.count(); i++) {
            EncryptedSample sample = writer.write(encoded, i, random);
            // Sample i * T + t is encryption t of image i of the batch.
            window.add(batch.id(i / t), sample, keys.release(i, sample.getSampleId(), pool));
        }
        metrics.encrypted.inc(encoded.count());
        metrics.rejectedDraws.inc(encoder.rejectedDraws() - rejectedBefore);
        metrics.batchSize.update(batch.size());
        batch.clear();
        metrics.batchLatencyMs.update((System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
        window.empty();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<PrivateImage> snapshot = new ArrayList<>(waiting);
        waitingState.update(snapshot);
    }

    @Override
    public void finish() throws Exception {
        flush();
        window.empty();
        // End of a bounded input (or stop with --drain): nothing more will arrive to pair with.
        while (!waiting.isEmpty()) {
            deadLetter(waiting.poll(), "the input ended before partners arrived");
        }
        super.finish();
    }

    /**
     * Routes an image that cannot be encrypted with the configured number of distinct partners.
     * Emitting it with fewer would weaken the scheme; dropping it would lose data.
     */
    private void deadLetter(PrivateImage image, String why) {
        output.collect(
                DEAD_LETTERS,
                new StreamRecord<>(
                        deadLetters.counted(
                                waitingDeadLetters.toDeadLetter(
                                        image,
                                        String.format(
                                                "No distinct partners: %s; public pool has %d of"
                                                    + " the %d public images needed, reservoir %d"
                                                    + " of %d. Publish the public pool (or lower"
                                                    + " instahide.k) and re-publish this payload.",
                                                why,
                                                pool.size(),
                                                settings.parameters().publicSlots(),
                                                reservoir.size(),
                                                settings.parameters().privateSlots() - 1)))));
    }

    /** The shuffle window's output: the main output, the escrow side output, the metric. */
    private final class Emitted implements ShuffleWindow.Downstream {

        private final StreamRecord<EncryptedSample> reuse = new StreamRecord<>(null);

        @Override
        public void sample(EncryptedSample sample) {
            output.collect(reuse.replace(sample));
        }

        @Override
        public void escrowedKey(EscrowedKey key) {
            output.collect(KEY_ESCROW, new StreamRecord<>(key));
        }

        @Override
        public void released(int images) {
            metrics.anonymitySet.update(images);
        }
    }

    @Override
    public void close() throws Exception {
        if (encoder != null) {
            encoder.close();
        }
        super.close();
    }
}
