package io.instahide.demo;

import io.instahide.core.KeyMaterialSource;
import io.instahide.core.KeyStreamRandom;
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
 * float32, one-hot label, fresh id) but without mixing or masking. NOT private: harness only.
 */
final class PassThroughFunction extends RichFlatMapFunction<PrivateImage, EncryptedSample> {

    private final EncryptionSettings settings;
    private transient EncryptedSampleWriter writer;
    private transient KeyMaterialSource random;
    private transient float[][] table;
    private transient float[] pixels;
    private transient float[] label;

    PassThroughFunction(EncryptionSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        writer =
                new EncryptedSampleWriter(
                        settings.parameters(), settings.shape(), settings.privateNormalizer());
        random = KeyStreamRandom.fromOsEntropy();
        table = settings.privateNormalizer().table(settings.shape().channels());
        pixels = new float[settings.shape().size()];
        label = new float[Math.max(1, settings.classes())];
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
            out.collect(writer.write(pixels, 0, label, 0, settings.classes(), random));
        }
    }
}
