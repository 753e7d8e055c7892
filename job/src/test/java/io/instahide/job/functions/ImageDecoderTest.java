package io.instahide.job.functions;

import io.instahide.core.ImageShape;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.ImageEncoding;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile encoded images end as dead-letter reasons, decided before any pixel is decoded. */
class ImageDecoderTest {

    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);
    private static final long MAX_PIXELS = 16L << 20;

    private final ImageDecoder decoder =
            new ImageDecoder(SHAPE, false, 1 << 20, MAX_PIXELS, Duration.ofSeconds(2));

    private static byte[] encoded(String format) throws Exception {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Random random = new Random(1);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = random.nextInt(256);
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
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
        byte[] jpeg = encoded("jpeg");
        int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
        assertThat(sof).as("baseline SOF0 marker").isPositive();
        // FF C0, length (2), precision (1), height (2), width (2)
        putShort(jpeg, sof + 5, 46_000);
        putShort(jpeg, sof + 7, 46_000);

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
        byte[] png = encoded("png");
        // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), ..., CRC after 13.
        putInt(png, 16, 46_000);
        putInt(png, 20, 46_000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 4 + 13);
        putInt(png, 12 + 4 + 13, (int) crc.getValue());

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

    private static int indexOf(byte[] bytes, byte a, byte b) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == a && bytes[i + 1] == b) {
                return i;
            }
        }
        return -1;
    }

    private static void putShort(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >> 8);
        bytes[at + 1] = (byte) value;
    }

    private static void putInt(byte[] bytes, int at, int value) {
        ByteBuffer.wrap(bytes, at, 4).putInt(value);
    }
}
