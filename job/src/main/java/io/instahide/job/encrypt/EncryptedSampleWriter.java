package io.instahide.job.encrypt;

import io.instahide.core.EncodedBatch;
import io.instahide.core.ImageShape;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.KeyMaterialSource;
import io.instahide.core.Normalizer;
import io.instahide.core.SampleIds;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.Normalization;
import io.instahide.schemas.PixelFormat;
import io.instahide.schemas.SchemeParameters;
import io.instahide.schemas.codec.SamplePixels;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the output records: fresh random sample id, CHW pixels in the stream's pixel format
 * ({@link SamplePixels}), soft label, scheme.
 */
public final class EncryptedSampleWriter {

    private final ImageShape shape;
    private final SchemeParameters scheme;

    /** A writer of float32 samples. */
    public EncryptedSampleWriter(
            InstaHideParameters parameters, ImageShape shape, Normalizer normalizer) {
        this(parameters, shape, normalizer, PixelFormat.FLOAT32);
    }

    public EncryptedSampleWriter(
            InstaHideParameters parameters,
            ImageShape shape,
            Normalizer normalizer,
            PixelFormat pixelFormat) {
        this.shape = shape;
        this.scheme =
                SchemeParameters.newBuilder()
                        .setSchemeVersion(InstaHideParameters.SCHEME_VERSION)
                        .setK(parameters.k())
                        .setPrivateSlots(parameters.privateSlots())
                        .setUpper(parameters.upper())
                        .setDom(parameters.crossDataset() ? parameters.dom() : null)
                        .setMasked(parameters.masked())
                        .setNormalization(
                                Normalization.newBuilder()
                                        .setName(normalizer.name())
                                        .setMean(boxed(normalizer.mean()))
                                        .setStd(boxed(normalizer.std()))
                                        .build())
                        .setPixelFormat(pixelFormat)
                        .build();
    }

    /** Sample {@code i} of {@code batch}. */
    public EncryptedSample write(EncodedBatch batch, int i, KeyMaterialSource random) {
        return write(
                batch.pixels(),
                i * batch.dimension(),
                batch.softLabels(),
                i * batch.classes(),
                batch.classes(),
                random);
    }

    /**
     * A sample from {@code shape.size()} floats at {@code pixelOffset} and {@code classes} label
     * weights at {@code labelOffset}.
     */
    public EncryptedSample write(
            float[] pixelData,
            int pixelOffset,
            float[] labelData,
            int labelOffset,
            int classes,
            KeyMaterialSource random) {
        List<Float> label = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            label.add(labelData[labelOffset + c]);
        }
        // The constructor, not the generated builder: a builder copies the schema's field list
        // each time, which cost as much as encoding the sample (docs/performance.md).
        return new EncryptedSample(
                SampleIds.next(random).toString(),
                shape.channels(),
                shape.height(),
                shape.width(),
                SamplePixels.encode(pixelData, pixelOffset, shape.size(), scheme.getPixelFormat()),
                label,
                scheme);
    }

    private static List<Float> boxed(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float v : values) {
            list.add(v);
        }
        return list;
    }
}
