package io.instahide.clients.image;

import io.instahide.core.ImageShape;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.ImageEncoding;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile encoded images end as dead-letter reasons, decided before any pixel is decoded. */
class ImageDecoderTest {

    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);
    private static final long MAX_PIXELS = 16L << 20;

    private final ImageDecoder decoder =
            new ImageDecoder(SHAPE, false, 1 << 20, MAX_PIXELS, Duration.ofSeconds(2));

    private static byte[] encoded(String format) {
        return TestingImageBombs.encoded(format);
    }

    private byte[] decode(ImageEncoding encoding, byte[] bytes) throws InvalidImageException {
        return decoder.decode(encoding, 28, 28, 1, ByteBuffer.wrap(bytes));
    }

    @Test
    void wellFormedPngAndJpegDecode() throws Exception {
        assertThat(decode(ImageEncoding.PNG, encoded("png"))).hasSize(SHAPE.size());
        assertThat(decode(ImageEncoding.JPEG, encoded("jpeg"))).hasSize(SHAPE.size());
    }

    /** A few hundred bytes of JPEG whose SOF declares 46000×46000 (2.1 G pixels). */
    @Test
    void aJpegWhoseHeaderDeclaresAHugeImageIsRefusedBeforeDecoding() throws Exception {
        byte[] jpeg = TestingImageBombs.jpegDeclaring(46_000, 46_000);

        assertThatThrownBy(() -> decode(ImageEncoding.JPEG, jpeg))
                .isInstanceOfSatisfying(
                        InvalidImageException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(DeadLetterReason.OVERSIZED_IMAGE);
                            assertThat(e.getMessage())
                                    .contains("46000x46000")
                                    .contains("refused before decoding");
                        });
    }

    /** A PNG whose IHDR (with a valid CRC) declares 46000×46000. */
    @Test
    void aPngWhoseHeaderDeclaresAHugeImageIsRefusedBeforeDecoding() throws Exception {
        byte[] png = TestingImageBombs.pngDeclaring(46_000, 46_000);

        assertThatThrownBy(() -> decode(ImageEncoding.PNG, png))
                .isInstanceOfSatisfying(
                        InvalidImageException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(DeadLetterReason.OVERSIZED_IMAGE);
                            assertThat(e.getMessage()).contains("refused before decoding");
                        });
    }

    @Test
    void aDecodeThatOutlastsItsTimeIsAbortedAndDeadLettered() throws Exception {
        ImageDecoder impatient =
                new ImageDecoder(SHAPE, false, 1 << 20, MAX_PIXELS, Duration.ofNanos(1));
        byte[] png = encoded("png");

        assertThatThrownBy(
                        () -> impatient.decode(ImageEncoding.PNG, 28, 28, 1, ByteBuffer.wrap(png)))
                .isInstanceOfSatisfying(
                        InvalidImageException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE_IMAGE);
                            assertThat(e.getMessage()).contains("image.max-decode-time");
                        });
    }

    @Test
    void bytesThatAreNoImageAreUndecodable() {
        assertThatThrownBy(() -> decode(ImageEncoding.PNG, new byte[] {1, 2, 3, 4}))
                .isInstanceOfSatisfying(
                        InvalidImageException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE_IMAGE));
    }
}
