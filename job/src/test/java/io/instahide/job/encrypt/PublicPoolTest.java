package io.instahide.job.encrypt;

import io.instahide.core.ImageShape;
import io.instahide.core.Normalizer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Every subtask must end with the same pool whatever order the broadcast reached it in. */
class PublicPoolTest {

    private static final ImageShape SHAPE = new ImageShape(1, 2, 2);

    private static Set<String> ids(PublicPool pool, List<String> candidates) {
        Set<String> ids = new TreeSet<>();
        for (String id : candidates) {
            if (pool.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    @Test
    void aFullPoolAdmitsTheSameIdsInAnyArrivalOrder() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add("img-" + i);
        }
        Set<String> first = null;
        Random random = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            List<String> order = new ArrayList<>(ids);
            Collections.shuffle(order, random);
            PublicPool pool = new PublicPool(SHAPE, Normalizer.symmetric(), 50);
            for (String id : order) {
                pool.put(id, new byte[SHAPE.size()]);
            }
            assertThat(pool.size()).isEqualTo(50);
            Set<String> admitted = ids(pool, ids);
            if (first == null) {
                first = admitted;
            }
            assertThat(admitted).isEqualTo(first);
        }
    }

    @Test
    void removalsAndReplacementsKeepTheIndexConsistent() {
        PublicPool pool = new PublicPool(SHAPE, Normalizer.symmetric(), 10);
        for (int i = 0; i < 10; i++) {
            pool.put("p" + i, new byte[] {(byte) i, 0, 0, 0});
        }
        assertThat(pool.remove("p3")).isTrue();
        assertThat(pool.remove("p3")).isFalse();
        pool.put("p9", new byte[] {(byte) 99, 0, 0, 0}); // replacement keeps the size
        assertThat(pool.size()).isEqualTo(9);
        // Every remaining image is still reachable at some index with its own pixels.
        float[] out = new float[SHAPE.size()];
        Set<Float> firstPixels = new TreeSet<>();
        for (int i = 0; i < pool.size(); i++) {
            pool.images().copyNormalized(i, out, 0);
            firstPixels.add(out[0]);
        }
        Normalizer n = Normalizer.symmetric();
        assertThat(firstPixels)
                .containsExactlyInAnyOrder(
                        n.normalize(0, 0),
                        n.normalize(0, 1),
                        n.normalize(0, 2),
                        n.normalize(0, 4),
                        n.normalize(0, 5),
                        n.normalize(0, 6),
                        n.normalize(0, 7),
                        n.normalize(0, 8),
                        n.normalize(0, 99));
    }
}
