package io.instahide.schemas.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Every topic's decoder on arbitrary bytes: a record or a {@link RecordDecodeException}, never
 * another exception, an error or an allocation beyond the input's size. Replayed from the seeds and
 * findings under {@code SingleObjectCodecFuzzTestInputs/} in every test run; fuzzed with {@code
 * scripts/fuzz.sh}.
 */
class SingleObjectCodecFuzzTest {

    private static final SingleObjectCodec<?> IMAGES = SingleObjectCodec.imageRecords();
    private static final SingleObjectCodec<?> PUBLIC = SingleObjectCodec.publicImages();
    private static final SingleObjectCodec<?> SAMPLES = SingleObjectCodec.encryptedSamples();
    private static final SingleObjectCodec<?> DEAD = SingleObjectCodec.deadLetters();

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void imageRecords(byte[] input) {
        decode(IMAGES, input);
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void publicImages(byte[] input) {
        decode(PUBLIC, input);
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void encryptedSamples(byte[] input) {
        decode(SAMPLES, input);
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void deadLetters(byte[] input) {
        decode(DEAD, input);
    }

    private static void decode(SingleObjectCodec<?> codec, byte[] input) {
        try {
            codec.decode(input);
        } catch (RecordDecodeException expected) {
            // bad input is a typed, routable error
        }
    }
}
