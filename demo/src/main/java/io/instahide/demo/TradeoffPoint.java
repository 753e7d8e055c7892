package io.instahide.demo;

import java.util.List;
import java.util.Locale;

/**
 * One measured point of the privacy–utility sweep: a setting, a seed, the clean test accuracy of
 * the model trained on its stream and what the attacks recovered from its encryptions. A line of
 * {@code tradeoffs-points.tsv}.
 *
 * @param attackMeanSsim mean SSIM of the realistic attack (clustering), 1 for clean images
 * @param oracleMeanSsim mean SSIM of the oracle attack (told the grouping), 1 for clean images
 * @param encryptedBy where the attacked encryptions came from: {@code job} (its output topic),
 *     {@code encoder} (unmasked settings the job does not offer) or {@code clear} (no encryption)
 * @param trainer the model and augmentation trained ({@code --arch}/{@code --augment}, e.g. {@code
 *     small-cnn/none}); files from before this column hold {@code small-cnn/none} points
 */
record TradeoffPoint(
        String dataset,
        String setting,
        int seed,
        int epochs,
        int train,
        double accuracy,
        double attackMeanSsim,
        double attackMaxSsim,
        double oracleMeanSsim,
        String encryptedBy,
        double minutes,
        String trainer) {

    static final String HEADER =
            String.join(
                    "\t",
                    List.of(
                            "dataset",
                            "setting",
                            "seed",
                            "epochs",
                            "train",
                            "accuracy",
                            "attack_mean_ssim",
                            "attack_max_ssim",
                            "oracle_mean_ssim",
                            "encrypted_by",
                            "minutes",
                            "trainer"));

    /** The same setting, seed and training: a point the sweep need not run again. */
    boolean sameRunAs(String dataset, String setting, int seed, Training training) {
        return this.dataset.equals(dataset)
                && this.setting.equals(setting)
                && this.seed == seed
                && training().equals(training);
    }

    /** How the point's model was trained: epochs, images per epoch, model and augmentation. */
    record Training(int epochs, int train, String trainer) {}

    Training training() {
        return new Training(epochs, train, trainer);
    }

    String line() {
        return String.format(
                Locale.ROOT,
                "%s\t%s\t%d\t%d\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%s\t%.2f\t%s",
                dataset,
                setting,
                seed,
                epochs,
                train,
                accuracy,
                attackMeanSsim,
                attackMaxSsim,
                oracleMeanSsim,
                encryptedBy,
                minutes,
                trainer);
    }

    static TradeoffPoint parse(String line) {
        String[] f = line.split("\t");
        if (f.length != 11 && f.length != 12) {
            throw new IllegalArgumentException(
                    "A sweep point has 12 tab-separated fields, this line "
                            + f.length
                            + ": "
                            + line);
        }
        return new TradeoffPoint(
                f[0],
                f[1],
                Integer.parseInt(f[2]),
                Integer.parseInt(f[3]),
                Integer.parseInt(f[4]),
                Double.parseDouble(f[5]),
                Double.parseDouble(f[6]),
                Double.parseDouble(f[7]),
                Double.parseDouble(f[8]),
                f[9],
                Double.parseDouble(f[10]),
                f.length == 12 ? f[11] : "small-cnn/none");
    }
}
