package io.instahide.trainer;

import io.instahide.core.Normalizer;
import io.instahide.schemas.Normalization;

import java.util.List;

/** The normaliser a stream's samples declare, so clean test images are normalised the same way. */
final class TrainerNormalization {

    private TrainerNormalization() {}

    static Normalizer of(Normalization normalization) {
        if ("SYMMETRIC".equals(normalization.getName())) {
            return Normalizer.symmetric();
        }
        return Normalizer.custom(unboxed(normalization.getMean()), unboxed(normalization.getStd()));
    }

    private static float[] unboxed(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
