package io.instahide.nd4j;

import io.instahide.core.ImageSet;
import io.instahide.core.ImageShape;
import io.instahide.core.MaskBits;
import io.instahide.core.MixSources;
import io.instahide.core.Mixer;
import io.instahide.core.OneTimeKeys;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The batched ND4J mixer: the images of each slot are gathered into one [n, D] array and the batch
 * is mixed with 2k-1 ND4J calls ({@code muliColumnVector} per slot, then {@code addi} in slot
 * order), whatever n is, so the per-call overhead of ND4J (10–45 µs) is paid per batch, not per
 * record. Multiply and add are separate kernels, so the result is bit-identical to {@link
 * JavaMixer}. The sign mask is applied while copying the result out (an exact sign flip).
 *
 * <p>Buffers are allocated once for {@code maxBatch} samples; not thread-safe.
 */
public final class Nd4jMixer implements Mixer<ImageSet> {

    private final int dim;
    private final int k;
    private final int maxBatch;
    private final INDArray[] slots;
    private final INDArray[] lambdas;
    private final float[] staging;
    private final float[] lambdaStaging;

    public Nd4jMixer(ImageShape shape, int k, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive, got " + maxBatch);
        }
        this.dim = shape.size();
        this.k = k;
        this.maxBatch = maxBatch;
        this.slots = new INDArray[k];
        this.lambdas = new INDArray[k];
        for (int s = 0; s < k; s++) {
            slots[s] = Nd4j.create(DataType.FLOAT, maxBatch, dim);
            lambdas[s] = Nd4j.create(DataType.FLOAT, maxBatch, 1);
        }
        this.staging = new float[maxBatch * dim];
        this.lambdaStaging = new float[maxBatch];
    }

    @Override
    public void mix(
            OneTimeKeys keys,
            MixSources<? extends ImageSet> sources,
            boolean masked,
            float[] out,
            int offset) {
        int n = Mixer.checkedCount(keys, k, maxBatch);
        if (n == 0) {
            return;
        }
        INDArrayIndex[] rows = {NDArrayIndex.interval(0, n), NDArrayIndex.all()};
        INDArray acc = null;
        for (int s = 0; s < k; s++) {
            ImageSet source = keys.source(s, sources);
            for (int b = 0; b < n; b++) {
                source.copyNormalized(keys.sourceIndex(b, s), staging, b * dim);
                lambdaStaging[b] = keys.lambda(b, s);
            }
            slots[s].data().asNioFloat().put(staging, 0, n * dim);
            lambdas[s].data().asNioFloat().put(lambdaStaging, 0, n);
            INDArray weighted = slots[s].get(rows).muliColumnVector(lambdas[s].get(rows));
            acc = s == 0 ? weighted : acc.addi(weighted);
        }
        slots[0].data().asNioFloat().get(out, offset, n * dim);
        if (masked) {
            long[] mask = keys.maskArray();
            int words = keys.maskWords();
            for (int b = 0; b < n; b++) {
                MaskBits.apply(out, offset + b * dim, dim, mask, b * words);
            }
        }
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public void close() {
        for (int s = 0; s < k; s++) {
            slots[s].close();
            lambdas[s].close();
        }
    }
}
