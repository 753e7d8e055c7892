package io.instahide.deploy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's quick start is exactly two commands, each setting up what it needs, and CI runs the
 * second one: a new user's path and CI's cannot drift apart.
 */
class QuickStartFilesTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theQuickStartIsTwoCommandsThatSetUpWhatTheyNeedAndCiRunsTheTestOne() throws Exception {
        String readme = Files.readString(REPO.resolve("README.md"));
        String quickStart = readme.substring(readme.indexOf("## Quick start"));
        String block = quickStart.substring(quickStart.indexOf("```bash\n") + 8);
        block = block.substring(0, block.indexOf("```"));
        List<String> commands =
                block.lines().map(line -> line.replaceAll("#.*", "").trim()).toList();

        assertThat(commands).containsExactly("demo/run.sh", "scripts/test.sh");
        assertThat(Files.readString(REPO.resolve("demo/run.sh"))).contains("scripts/setup.sh demo");
        assertThat(Files.readString(REPO.resolve("scripts/test.sh")))
                .contains("scripts/setup.sh test")
                .contains("./mvnw -B -ntp verify");
        assertThat(Files.readString(REPO.resolve(".ci/run"))).contains("exec scripts/test.sh");
    }

    @Test
    void setupInstallsNothingOnAMachineThatHasEverything() throws Exception {
        // This test runs under scripts/test.sh, after its setup: everything is there by now.
        Process setup =
                new ProcessBuilder(REPO.resolve("scripts/setup.sh").toString(), "test")
                        .redirectErrorStream(true)
                        .start();
        String output = new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(setup.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(setup.exitValue()).as(output).isZero();
        assertThat(output).isEmpty();
    }
}
