package io.instahide.demo;

import io.instahide.core.KeyMaterialSource;
import io.instahide.core.KeyStreamRandom;
import io.instahide.core.MaskBits;
import io.instahide.job.encrypt.EncryptedSampleWriter;
import io.instahide.job.encrypt.EncryptionSettings;
import io.instahide.job.functions.PrivateImage;
import io.instahide.schemas.EncryptedSample;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

import java.util.Arrays;

/**
 * The throughput baseline: the same records out as the encrypting job (T samples of the same shape,
 * float32, one-hot label, fresh id) but without mixing: each is the normalised image with random
 * signs, as incompressible as an encryption, so both jobs hand the broker the same kind of bytes.
 * NOT private (a sign flip alone hides nothing): harness only.
 */
final class PassThroughFunction extends RichFlatMapFunction<PrivateImage, EncryptedSample> {

    private final EncryptionSettings settings;
    private transient EncryptedSampleWriter writer;
    private transient KeyMaterialSource random;
    private transient float[][] table;
    private transient float[] pixels;
    private transient float[] label;
    private transient long[] signs;

    PassThroughFunction(EncryptionSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        writer =
                new EncryptedSampleWriter(
                        settings.parameters(),
                        settings.shape(),
                        settings.privateNormalizer(),
                        settings.pixelFormat());
        random = KeyStreamRandom.fromOsEntropy();
        table = settings.privateNormalizer().table(settings.shape().channels());
        pixels = new float[settings.shape().size()];
        label = new float[Math.max(1, settings.classes())];
        signs = new long[MaskBits.wordsFor(pixels.length)];
    }

    @Override
    public void flatMap(PrivateImage image, Collector<EncryptedSample> out) {
        int plane = settings.shape().planeSize();
        for (int c = 0, i = 0; c < table.length; c++) {
            float[] lut = table[c];
            for (int end = i + plane; i < end; i++) {
                pixels[i] = lut[image.pixels[i] & 0xff];
            }
        }
        Arrays.fill(label, 0f);
        if (image.label >= 0) {
            label[image.label] = 1f;
        }
        for (int t = 0; t < settings.encryptionsPerImage(); t++) {
            random.nextLongs(signs, 0, signs.length);
            MaskBits.apply(pixels, 0, pixels.length, signs, 0);
            out.collect(writer.write(pixels, 0, label, 0, settings.classes(), random));
        }
    }
}
