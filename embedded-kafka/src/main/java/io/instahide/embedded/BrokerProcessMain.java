package io.instahide.embedded;

import java.io.IOException;
import java.io.InputStream;

/**
 * Entry point of the broker's child JVM: starts Kafka ({@code kafka.Kafka}) and exits as soon as
 * its standard input closes, which happens when the parent process dies for any reason, so a killed
 * test or runner never leaves a broker holding its ports.
 */
public final class BrokerProcessMain {

    private BrokerProcessMain() {}

    public static void main(String[] args) throws Exception {
        Thread watchdog =
                new Thread(
                        () -> {
                            try (InputStream in = System.in) {
                                while (in.read() >= 0) {
                                    // wait for end of stream
                                }
                            } catch (IOException ignored) {
                                // the pipe broke: the parent is gone
                            }
                            Runtime.getRuntime().halt(0);
                        },
                        "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        kafka.Kafka.main(args);
    }
}
