package io.instahide.demo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutputMonitorTest {

    @Test
    void reasonsBeforeTheFirstDeadLetterAreEmptyNotAnError() {
        // The summary asks for them whenever the demo ends, Ctrl-C before any dead letter too.
        OutputMonitor monitor = new OutputMonitor("127.0.0.1:9", "encrypted", "dead", 4);

        assertThat(monitor.reasons()).isEmpty();
    }
}
