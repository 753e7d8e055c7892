package io.instahide.audit;

import io.instahide.core.MaskBits;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;
import io.instahide.schemas.codec.SamplePixels;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes encrypted samples in the InstaHide challenge's layout (NumPy files, images N×H×W×C), so
 * that outside attack code can run on them, and, from the key escrow, the ground truth in a
 * separate folder:
 *
 * <pre>
 * encryptions.npy            float32 N×H×W×C   what trainers (and attackers) see
 * labels.npy                 float32 N×classes the mixed soft labels
 * truth/private_images.npy   uint8   P×H×W×C   every private image the samples mix
 * truth/public_images.npy    uint8   Q×H×W×C   every public image they mix
 * truth/private_index.npy    int64   N×kPriv   slot by slot, rows of private_images.npy
 * truth/public_index.npy     int64   N×kPub    slot by slot, rows of public_images.npy
 * truth/lambdas.npy          float32 N×k       coefficients, slot by slot
 * truth/masks.npy            uint8   N×H×W×C   1 where the mask negated the value
 * </pre>
 */
public final class ChallengeExport {

    private ChallengeExport() {}

    /** Images by the id the escrow names them with, as HWC bytes of the stream's shape. */
    public interface ImageSource {
        /** The image's HWC bytes, or null if it is not known. */
        byte[] hwc(String id);
    }

    /** Writes {@code samples} (all of one shape and class count) to {@code directory}. */
    public static void writeSamples(Path directory, List<EncryptedSample> samples)
            throws IOException {
        EncryptedSample first = first(samples);
        int c = first.getChannels();
        int h = first.getHeight();
        int w = first.getWidth();
        int classes = first.getSoftLabel().size();
        int size = c * h * w;
        float[] encryptions = new float[samples.size() * size];
        float[] labels = new float[samples.size() * classes];
        for (int i = 0; i < samples.size(); i++) {
            EncryptedSample sample = samples.get(i);
            if (sample.getChannels() != c || sample.getHeight() != h || sample.getWidth() != w) {
                throw new IllegalArgumentException(
                        "Sample "
                                + sample.getSampleId()
                                + " has another shape than the first; export one shape at a time");
            }
            toHwc(SamplePixels.decode(sample), encryptions, i * size, c, h * w);
            for (int k = 0; k < classes; k++) {
                labels[i * classes + k] = sample.getSoftLabel().get(k);
            }
        }
        Files.createDirectories(directory);
        NpyWriter.writeFloats(
                directory.resolve("encryptions.npy"), encryptions, samples.size(), h, w, c);
        NpyWriter.writeFloats(directory.resolve("labels.npy"), labels, samples.size(), classes);
    }

    /**
     * Writes the ground truth of {@code samples} from their escrowed {@code keys} into {@code
     * directory}/truth.
     *
     * @throws IllegalArgumentException if a sample has no key or a key names an unknown image
     */
    public static void writeTruth(
            Path directory,
            List<EncryptedSample> samples,
            Map<String, EscrowedKey> keys,
            ImageSource images)
            throws IOException {
        EncryptedSample first = first(samples);
        int c = first.getChannels();
        int plane = first.getHeight() * first.getWidth();
        int size = c * plane;
        EscrowedKey firstKey = key(keys, first);
        int k = firstKey.getImageIds().size();
        int kPriv = firstKey.getPrivateSlots();
        Map<String, Integer> privateRows = new LinkedHashMap<>();
        Map<String, Integer> publicRows = new LinkedHashMap<>();
        long[] privateIndex = new long[samples.size() * kPriv];
        long[] publicIndex = new long[samples.size() * (k - kPriv)];
        float[] lambdas = new float[samples.size() * k];
        byte[] masks = new byte[samples.size() * size];
        long[] words = new long[MaskBits.wordsFor(size)];
        for (int i = 0; i < samples.size(); i++) {
            EscrowedKey key = key(keys, samples.get(i));
            for (int s = 0; s < k; s++) {
                String id = key.getImageIds().get(s);
                if (s < kPriv) {
                    privateIndex[i * kPriv + s] = row(privateRows, id);
                } else {
                    publicIndex[i * (k - kPriv) + s - kPriv] = row(publicRows, id);
                }
                lambdas[i * k + s] = key.getLambdas().get(s);
            }
            if (key.getMask() != null) {
                key.getMask().duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(words);
                for (int p = 0; p < size; p++) {
                    // CHW element p lands at HWC position (p % plane) * c + p / plane.
                    masks[i * size + (p % plane) * c + p / plane] =
                            (byte) (MaskBits.isNegative(words, 0, p) ? 1 : 0);
                }
            }
        }
        Path truth = directory.resolve("truth");
        Files.createDirectories(truth);
        int h = first.getHeight();
        int w = first.getWidth();
        NpyWriter.writeBytes(
                truth.resolve("private_images.npy"),
                images(privateRows, images, size),
                privateRows.size(),
                h,
                w,
                c);
        NpyWriter.writeBytes(
                truth.resolve("public_images.npy"),
                images(publicRows, images, size),
                publicRows.size(),
                h,
                w,
                c);
        NpyWriter.writeLongs(
                truth.resolve("private_index.npy"), privateIndex, samples.size(), kPriv);
        NpyWriter.writeLongs(
                truth.resolve("public_index.npy"), publicIndex, samples.size(), k - kPriv);
        NpyWriter.writeFloats(truth.resolve("lambdas.npy"), lambdas, samples.size(), k);
        NpyWriter.writeBytes(truth.resolve("masks.npy"), masks, samples.size(), h, w, c);
    }

    /** CHW floats to HWC at {@code offset} of {@code out}. */
    private static void toHwc(float[] chw, float[] out, int offset, int channels, int plane) {
        for (int p = 0; p < chw.length; p++) {
            out[offset + (p % plane) * channels + p / plane] = chw[p];
        }
    }

    private static byte[] images(Map<String, Integer> rows, ImageSource source, int size) {
        byte[] out = new byte[rows.size() * size];
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : rows.entrySet()) {
            byte[] hwc = source.hwc(entry.getKey());
            if (hwc == null || hwc.length != size) {
                missing.add(entry.getKey());
            } else {
                System.arraycopy(hwc, 0, out, entry.getValue() * size, size);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    missing.size()
                            + " images named by the escrow were not found (e.g. "
                            + missing.get(0)
                            + "): export from the raw and public topics the job read");
        }
        return out;
    }

    private static int row(Map<String, Integer> rows, String id) {
        return rows.computeIfAbsent(id, any -> rows.size());
    }

    private static EscrowedKey key(Map<String, EscrowedKey> keys, EncryptedSample sample) {
        EscrowedKey key = keys.get(sample.getSampleId());
        if (key == null) {
            throw new IllegalArgumentException(
                    "No escrowed key for sample "
                            + sample.getSampleId()
                            + ": was the job run with topic.key-escrow from the start?");
        }
        return key;
    }

    private static EncryptedSample first(List<EncryptedSample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("No encrypted samples to export");
        }
        return samples.get(0);
    }
}
