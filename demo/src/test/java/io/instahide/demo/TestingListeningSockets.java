package io.instahide.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The TCP sockets a process and its children listen on, read from Linux's {@code /proc}: each
 * listening socket of {@code /proc/net/tcp} and {@code tcp6} whose inode one of the processes holds
 * open, with its local address.
 */
final class TestingListeningSockets {

    private static final String LISTEN = "0A";

    private TestingListeningSockets() {}

    static List<InetSocketAddress> of(ProcessHandle process) throws IOException {
        Map<String, InetSocketAddress> listening = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals(LISTEN)) {
                    listening.put(fields[9], address(fields[1]));
                }
            }
        }
        List<InetSocketAddress> held = new ArrayList<>();
        for (ProcessHandle handle :
                Stream.concat(Stream.of(process), process.descendants()).toList()) {
            for (String inode : socketInodes(handle.pid())) {
                InetSocketAddress address = listening.get(inode);
                if (address != null) {
                    held.add(address);
                }
            }
        }
        return held;
    }

    private static List<String> socketInodes(long pid) throws IOException {
        List<String> inodes = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed between listing and reading: not a socket now
                }
            }
        }
        return inodes;
    }

    /** {@code 0100007F:1F90} (little-endian 32-bit words, hex port) as 127.0.0.1:8080. */
    private static InetSocketAddress address(String hex) throws IOException {
        String[] parts = hex.split(":");
        byte[] bytes = new byte[parts[0].length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(parts[0].substring(at, at + 2), 16);
            }
        }
        return new InetSocketAddress(
                InetAddress.getByAddress(bytes), Integer.parseInt(parts[1], 16));
    }
}
