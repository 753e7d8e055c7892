package io.instahide.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the Python trainer ({@code python/instahide_stream}) runs. */
final class PythonTrainer {

    private PythonTrainer() {}

    /**
     * {@code INSTAHIDE_PYTHON}, else Debian's {@code /usr/bin/python3} (which sees the apt packages
     * python3-torch, python3-confluent-kafka, python3-avro), else {@code python3}.
     */
    static String interpreter() {
        String configured = System.getenv("INSTAHIDE_PYTHON");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }
}
