package io.instahide.ingest;

import io.instahide.clients.CliArgs;
import io.instahide.clients.IdxDataset;
import io.instahide.clients.ImagePublisher;
import io.instahide.clients.KafkaClients;
import io.instahide.clients.LabeledImage;
import io.instahide.clients.ProgressBar;

import org.apache.kafka.common.KafkaException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The device-side publisher: images from a folder tree, IDX files or a watched directory to the
 * raw-images topic. Unreadable files are reported and counted, never fatal; the exit code says
 * whether any were skipped (0 all published, 3 some skipped, 2 bad usage, 1 Kafka failure).
 */
public final class PublishImages {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int SKIPPED = 3;

    static final String USAGE_TEXT =
            """
ingest/publish-images.sh --kafka.bootstrap-servers HOST:PORT SOURCE [options]
SOURCE, one of:
  --dir DIR            PNG/JPEG/BMP/GIF files; label = first-level folder (numbers kept,
                       names numbered in sorted order) unless --labels CSV (path,label)
  --idx DIR            IDX files (MNIST format) <DIR>/<prefix>-images-idx3-ubyte[.gz]
                       with --prefix train|t10k (default train)
  --watch DIR          publish image files as they appear (until Ctrl-C or --limit);
                       label from --label, else unlabelled
options:
  --topic NAME         default raw-images
  --shape CxHxW        the stream's shape (default 3x32x32): images are scaled so the
                       shorter side fits, then centre-cropped
  --rate N             images per second (default 0: as fast as Kafka takes them)
  --limit N            stop after N images
  --device-id ID       record key and deviceId (default: the host name)
  --schema-registry URL  write the Confluent wire format with this registry (the
                       job's kafka.schema-registry.url); default: single-object records
  --kafka.properties.NAME VALUE   any Kafka producer setting (e.g. security.protocol)
""";

    private static final Set<String> OPTIONS =
            Set.of(
                    "kafka.bootstrap-servers",
                    "dir",
                    "labels",
                    "idx",
                    "prefix",
                    "watch",
                    "label",
                    "topic",
                    "shape",
                    "rate",
                    "limit",
                    "device-id",
                    "schema-registry");

    private PublishImages() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CliArgs cli;
        try {
            cli = CliArgs.parseTool(args, OPTIONS, Set.of("help"), List.of("dir", "idx", "watch"));
        } catch (IllegalArgumentException e) {
            err.println("publish-images: " + e.getMessage() + "\n\n" + USAGE_TEXT);
            return USAGE;
        }
        if (cli.has("help")) {
            out.print(USAGE_TEXT);
            return OK;
        }
        int limit = cli.getInt("limit", Integer.MAX_VALUE);
        List<LabeledImage> skipped = new ArrayList<>();
        long published = 0;
        ProgressBar progress = null;
        try (ImagePublisher publisher = publisher(cli)) {
            if (cli.has("dir")) {
                DirectoryImages images =
                        DirectoryImages.scan(
                                Path.of(cli.get("dir", ".")),
                                cli.has("labels") ? Path.of(cli.get("labels", "")) : null);
                out.println("Labels: " + new java.util.TreeMap<>(images.labels()));
                int total = Math.min(images.size(), limit);
                progress = new ProgressBar(err, total, "images");
                for (int i = 0; i < total; i++) {
                    published += publishOrSkip(publisher, images.read(i), skipped);
                    progress.update(published, skipped.size());
                }
            } else if (cli.has("idx")) {
                IdxDataset images =
                        IdxDataset.read(
                                Path.of(cli.get("idx", ".")), cli.get("prefix", "train"), limit);
                progress = new ProgressBar(err, images.size(), "images");
                for (int i = 0; i < images.size(); i++) {
                    BufferedImage gray = grey(images.image(i), images.height(), images.width());
                    publisher.publish(
                            LabeledImage.of("#" + i, images.label(i), gray, Instant.now()));
                    progress.update(++published, 0);
                }
            } else {
                progress = new ProgressBar(err, 0, "images");
                published =
                        watch(
                                Path.of(cli.get("watch", ".")),
                                cli,
                                publisher,
                                limit,
                                skipped,
                                progress);
            }
        } catch (IOException | IllegalStateException | KafkaException e) {
            err.println("\npublish-images: " + e.getMessage());
            return FAILED;
        } finally {
            if (progress != null) {
                progress.finish();
            }
        }
        out.printf(
                "Published %,d images to %s; skipped %,d%n",
                published, cli.get("topic", "raw-images"), skipped.size());
        skipped.stream()
                .limit(20)
                .forEach(s -> out.println("  skipped " + s.name() + ": " + s.problem()));
        if (skipped.size() > 20) {
            out.println("  ... and " + (skipped.size() - 20) + " more");
        }
        return skipped.isEmpty() ? OK : SKIPPED;
    }

    private static ImagePublisher publisher(CliArgs cli) throws IOException {
        String device = cli.get("device-id", InetAddress.getLocalHost().getHostName());
        return new ImagePublisher(
                KafkaClients.producer(
                        cli.require("kafka.bootstrap-servers"),
                        "instahide-publish-" + device,
                        cli.kafkaProperties()),
                cli.get("topic", "raw-images"),
                CliArgs.shape(cli.get("shape", "3x32x32")),
                device,
                cli.getDouble("rate", 0),
                cli.get("schema-registry", null));
    }

    private static int publishOrSkip(
            ImagePublisher publisher, LabeledImage image, List<LabeledImage> skipped) {
        if (image.isSkipped()) {
            skipped.add(image);
            return 0;
        }
        publisher.publish(image);
        return 1;
    }

    private static long watch(
            Path directory,
            CliArgs cli,
            ImagePublisher publisher,
            int limit,
            List<LabeledImage> skipped,
            ProgressBar progress)
            throws IOException {
        Integer label = cli.has("label") ? cli.getInt("label", 0) : null;
        long published = 0;
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            directory.register(
                    watcher,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(watcher)));
            java.util.Set<Path> seen = new java.util.HashSet<>();
            java.util.Map<Path, LabeledImage> failing = new java.util.HashMap<>();
            while (published + skipped.size() < limit) {
                WatchKey key;
                try {
                    key = watcher.take();
                } catch (InterruptedException | ClosedWatchServiceException e) {
                    break;
                }
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (!(event.context() instanceof Path name)) {
                        continue;
                    }
                    Path file = directory.resolve(name);
                    if (!DirectoryImages.isImage(file) || seen.contains(file)) {
                        continue;
                    }
                    LabeledImage image = DirectoryImages.read(file, name.toString(), label);
                    if (image.isSkipped()) {
                        failing.put(file, image); // maybe still being written: MODIFY retries
                        continue;
                    }
                    failing.remove(file);
                    seen.add(file);
                    published += publishOrSkip(publisher, image, skipped);
                    progress.update(published, skipped.size());
                }
                key.reset();
            }
            skipped.addAll(failing.values()); // never became readable
        }
        return published;
    }

    static BufferedImage grey(byte[] pixels, int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, width, height, pixels);
        return image;
    }

    private static void closeQuietly(WatchService watcher) {
        try {
            watcher.close();
        } catch (IOException e) {
            // exiting anyway
        }
    }
}
