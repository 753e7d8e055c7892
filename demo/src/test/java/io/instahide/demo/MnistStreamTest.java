package io.instahide.demo;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MnistStreamTest {

    @Test
    void jobOptionsPassThroughButNeverAKeyEscrow() {
        assertThat(
                        MnistStream.jobOptions(
                                        Map.of("instahide.k", "4", "images", "9"),
                                        Set.of("images"),
                                        "2 s")
                                .toMap())
                .containsEntry("instahide.k", "4")
                .containsEntry("image.shape", "1x28x28")
                .doesNotContainKey("images");
        assertThatThrownBy(
                        () ->
                                MnistStream.jobOptions(
                                        Map.of("topic.key-escrow", "keys"), Set.of(), "2 s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never write a key escrow");
    }
}
