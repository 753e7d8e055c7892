package io.instahide.audit;

import io.instahide.core.InstaHideParameters;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit's job-output path: the real job on an embedded broker, its encrypted topic read back
 * and joined with the escrow, ordered (as before the shuffle) and shuffled (now).
 */
class AuditedJobITCase {

    private static final int IMAGES = 24;
    private static final int T = 3;

    private static AuditedJob job;

    @BeforeAll
    static void start() {
        job = AuditedJob.start(new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterAll
    static void stop() {
        if (job != null) {
            job.close();
        }
    }

    @Test
    void everyImageComesBackTTimesWithItsGroundTruthAndOnlyTheOrderedOutputGroupsByOrder()
            throws Exception {
        AuditImages images = SyntheticImages.auditImages(IMAGES, 8, 8, new Random(4));
        InstaHideParameters scheme = InstaHideParameters.cross(4, 2, 0.65, 0.3);

        JobOutput ordered = job.run(images, scheme, T, false);
        JobOutput shuffled = job.run(images, scheme, T, true);

        for (JobOutput output : new JobOutput[] {ordered, shuffled}) {
            assertThat(output.size()).isEqualTo(IMAGES * T);
            int[] perImage = new int[IMAGES];
            for (int j = 0; j < output.size(); j++) {
                perImage[output.set().owners()[j]]++;
                assertThat(output.set().privateIds()[j]).hasSize(2);
                assertThat(output.set().privateIds()[j][1]).isNotEqualTo(output.set().owners()[j]);
                assertThat(output.set().encryptions().get(j)).hasSize(64);
                assertThat(output.partitions()[j]).isBetween(0, AuditedJob.OUTPUT_PARTITIONS - 1);
            }
            assertThat(Arrays.stream(perImage).distinct().toArray()).containsExactly(T);
        }
        // Ordered: most neighbours share their image (batches of T per image, sticky
        // partitions). Shuffled: 2 in 71 on average, 20 % has probability below 10⁻⁶.
        assertThat(ordered.neighboursSharingTheirImage()[0]).isGreaterThan(0.5);
        assertThat(shuffled.neighboursSharingTheirImage()[0]).isLessThan(0.2);
        assertThat(OrderAttack.best(ordered).accuracy()).isGreaterThan(0.7);
    }
}
