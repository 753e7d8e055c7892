package io.instahide.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The Python that runs the repository's {@code python/} package in tests. */
final class PythonInterpreter {

    private PythonInterpreter() {}

    /**
     * {@code INSTAHIDE_PYTHON} if set, else Debian's interpreter (which has Debian's python3-*
     * packages, unlike a pyenv shim on PATH), else {@code python3}.
     */
    static String path() {
        String configured = System.getenv("INSTAHIDE_PYTHON");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** The repository root (tests run in their module's directory). */
    static Path repository() {
        return Path.of("..").toAbsolutePath().normalize();
    }
}
