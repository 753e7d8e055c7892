package io.instahide.ingest;

import io.instahide.clients.LabeledImage;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Image files under a directory. Labels come from a CSV ({@code relative/path,label}) or from the
 * first-level folder name: folders named by integers keep their number, otherwise the sorted folder
 * names are numbered from 0 (the mapping is printed by the publisher).
 */
final class DirectoryImages {

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private final Path root;
    private final List<Path> files;
    private final Map<String, Integer> labels;

    private DirectoryImages(Path root, List<Path> files, Map<String, Integer> labels) {
        this.root = root;
        this.files = files;
        this.labels = labels;
    }

    static DirectoryImages scan(Path root, Path labelCsv) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + " is not a directory");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files =
                    walk.filter(Files::isRegularFile)
                            .filter(DirectoryImages::isImage)
                            .sorted()
                            .toList();
        }
        Map<String, Integer> labels =
                labelCsv == null ? folderLabels(root, files) : csvLabels(labelCsv);
        return new DirectoryImages(root, files, labels);
    }

    static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static Map<String, Integer> folderLabels(Path root, List<Path> files) {
        TreeSet<String> folders = new TreeSet<>();
        for (Path file : files) {
            Path relative = root.relativize(file);
            if (relative.getNameCount() > 1) {
                folders.add(relative.getName(0).toString());
            }
        }
        boolean numeric = !folders.isEmpty() && folders.stream().allMatch(f -> f.matches("\\d+"));
        Map<String, Integer> labels = new HashMap<>();
        int next = 0;
        for (String folder : folders) {
            labels.put(folder, numeric ? Integer.parseInt(folder) : next++);
        }
        return labels;
    }

    private static Map<String, Integer> csvLabels(Path csv) throws IOException {
        Map<String, Integer> labels = new HashMap<>();
        int line = 0;
        for (String row : Files.readAllLines(csv)) {
            line++;
            if (row.isBlank() || row.startsWith("#")) {
                continue;
            }
            int comma = row.lastIndexOf(',');
            try {
                labels.put(
                        row.substring(0, comma).trim(),
                        Integer.parseInt(row.substring(comma + 1).trim()));
            } catch (RuntimeException e) {
                if (line > 1) { // a header row is allowed
                    throw new IOException(
                            csv + " line " + line + ": expected path,label but got '" + row + "'");
                }
            }
        }
        return labels;
    }

    int size() {
        return files.size();
    }

    /** Folder or CSV key to class index. */
    Map<String, Integer> labels() {
        return labels;
    }

    LabeledImage read(int index) {
        Path file = files.get(index);
        Path relative = root.relativize(file);
        String name = relative.toString();
        Integer label =
                labels.containsKey(name)
                        ? labels.get(name)
                        : relative.getNameCount() > 1
                                ? labels.get(relative.getName(0).toString())
                                : null;
        return read(file, name, label);
    }

    static LabeledImage read(Path file, String name, Integer label) {
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                return LabeledImage.skipped(name, "not a readable image");
            }
            return LabeledImage.of(name, label, image, Files.getLastModifiedTime(file).toInstant());
        } catch (IOException | RuntimeException e) {
            return LabeledImage.skipped(name, "unreadable: " + e.getMessage());
        }
    }
}
