package io.instahide.clients.image;

import io.instahide.core.ImageShape;
import io.instahide.schemas.ImageEncoding;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The image decoder on arbitrary declared sizes and encoded bytes: CHW bytes of the stream's shape
 * or an {@link InvalidImageException}, never another exception, an error or a stall. Seeds: a 28×28
 * PNG and JPEG and the header bombs ({@code ImageDecoderFuzzTestInputs/}); fuzzed with {@code
 * scripts/fuzz.sh}.
 */
class ImageDecoderFuzzTest {

    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);
    private static final ImageDecoder STRICT =
            new ImageDecoder(SHAPE, false, 1 << 20, 16L << 20, Duration.ofSeconds(2));
    private static final ImageDecoder RESIZING =
            new ImageDecoder(SHAPE, true, 1 << 20, 16L << 20, Duration.ofSeconds(2));

    /**
     * Input: byte 0 chooses resizing (bit 0) and the encoding (bits 1-2), bytes 1-3 the declared
     * width, height and channels (as signed bytes), the rest is the image.
     */
    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void decode(byte[] input) {
        if (input.length < 4) {
            return;
        }
        ImageDecoder decoder = (input[0] & 1) != 0 ? RESIZING : STRICT;
        ImageEncoding[] encodings = ImageEncoding.values();
        ImageEncoding encoding = encodings[((input[0] & 0xff) >> 1) % encodings.length];
        ByteBuffer image = ByteBuffer.wrap(input, 4, input.length - 4);
        try {
            byte[] chw = decoder.decode(encoding, input[1], input[2], input[3], image);
            if (chw.length != SHAPE.size()) {
                throw new IllegalStateException("decoded " + chw.length + " bytes, not " + SHAPE);
            }
        } catch (InvalidImageException expected) {
            // bad input is a dead-letter reason
        }
    }
}
