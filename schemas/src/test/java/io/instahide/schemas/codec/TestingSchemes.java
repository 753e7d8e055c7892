package io.instahide.schemas.codec;

import io.instahide.schemas.Normalization;
import io.instahide.schemas.PixelFormat;
import io.instahide.schemas.SchemeParameters;

import java.util.List;

/** Scheme parameters for codec tests: inside-dataset k = 4, MNIST normalisation. */
final class TestingSchemes {

    private TestingSchemes() {}

    static SchemeParameters insideK4(PixelFormat pixelFormat) {
        return SchemeParameters.newBuilder()
                .setSchemeVersion("instahide-1")
                .setK(4)
                .setPrivateSlots(4)
                .setUpper(0.65)
                .setDom(null)
                .setMasked(true)
                .setNormalization(
                        Normalization.newBuilder()
                                .setName("MNIST")
                                .setMean(List.of(0.1307f))
                                .setStd(List.of(0.3081f))
                                .build())
                .setPixelFormat(pixelFormat)
                .build();
    }
}
