package io.instahide.ingest;

import io.instahide.clients.CliArgs;
import io.instahide.clients.IdxDataset;
import io.instahide.clients.LabeledImage;
import io.instahide.clients.PatchSampler;
import io.instahide.clients.PoolTopic;
import io.instahide.clients.ProgressBar;

import org.apache.kafka.common.KafkaException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the public mixing pool on its compacted topic: textured random patches of natural photos
 * (ids are content hashes, so re-running adds nothing twice), or an IDX image set; removes ids;
 * {@code --replace} tombstones every live id that the new pool does not contain.
 */
public final class BuildPublicPool {

    static final String USAGE_TEXT =
            """
ingest/build-pool.sh --kafka.bootstrap-servers HOST:PORT SOURCE [options]
SOURCE, one of:
  --photos DIR         natural photos: random patches of the stream's shape, kept when
                       textured (--min-energy, default 12: mean |dx|+|dy| grey levels)
                       and new; --patches-per-photo N (default 100), --seed N
  --idx DIR            an IDX image set (e.g. Fashion-MNIST), --prefix train|t10k, --limit N
  --remove ID[,ID...]  tombstone these ids
options:
  --topic NAME         default public-images (create it with cleanup.policy=compact)
  --shape CxHxW        the stream's shape (default 3x32x32)
  --id-prefix TEXT     prefix of new ids (default: pool-)
  --replace            after publishing, remove every live id not in the new pool
  --schema-registry URL  write the Confluent wire format with this registry (the
                       job's kafka.schema-registry.url); default: single-object records
  --kafka.properties.NAME VALUE   any Kafka client setting
""";

    private static final Set<String> OPTIONS =
            Set.of(
                    "kafka.bootstrap-servers",
                    "photos",
                    "min-energy",
                    "patches-per-photo",
                    "seed",
                    "idx",
                    "prefix",
                    "limit",
                    "remove",
                    "topic",
                    "shape",
                    "id-prefix",
                    "schema-registry");

    private BuildPublicPool() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CliArgs cli;
        try {
            cli =
                    CliArgs.parseTool(
                            args,
                            OPTIONS,
                            Set.of("help", "replace"),
                            List.of("photos", "idx", "remove"));
        } catch (IllegalArgumentException e) {
            err.println("build-pool: " + e.getMessage() + "\n\n" + USAGE_TEXT);
            return PublishImages.USAGE;
        }
        if (cli.has("help")) {
            out.print(USAGE_TEXT);
            return PublishImages.OK;
        }
        int[] shape = CliArgs.shape(cli.get("shape", "3x32x32"));
        String topic = cli.get("topic", "public-images");
        String prefix = cli.get("id-prefix", "pool-");
        Set<String> published = new HashSet<>();
        int skipped = 0;
        try (PoolTopic pool =
                new PoolTopic(
                        cli.require("kafka.bootstrap-servers"),
                        topic,
                        cli.kafkaProperties(),
                        cli.get("schema-registry", null))) {
            Set<String> before = cli.has("replace") ? pool.liveIds() : Set.of();
            if (cli.has("remove")) {
                cli.list("remove").forEach(pool::remove);
                out.printf("Removed %d ids from %s%n", cli.list("remove").size(), topic);
                return PublishImages.OK;
            }
            if (cli.has("photos")) {
                PatchSampler sampler =
                        new PatchSampler(
                                shape, cli.getDouble("min-energy", 12), cli.getInt("seed", 1));
                DirectoryImages photos =
                        DirectoryImages.scan(Path.of(cli.get("photos", ".")), null);
                ProgressBar progress = new ProgressBar(err, photos.size(), "photos");
                for (int i = 0; i < photos.size(); i++) {
                    LabeledImage photo = photos.read(i);
                    if (photo.isSkipped()) {
                        skipped++;
                        err.println("\n  skipped " + photo.name() + ": " + photo.problem());
                        continue;
                    }
                    for (byte[] patch :
                            sampler.patches(photo.image(), cli.getInt("patches-per-photo", 100))) {
                        String id = prefix + PatchSampler.digest(patch).substring(0, 16);
                        pool.put(id, patch, shape);
                        published.add(id);
                    }
                    progress.update(i + 1, skipped);
                }
                progress.finish();
                out.printf(
                        "Kept %,d patches; rejected %,d flat and %,d duplicate ones%n",
                        published.size(), sampler.rejectedFlat(), sampler.rejectedDuplicate());
            } else {
                IdxDataset images =
                        IdxDataset.read(
                                Path.of(cli.get("idx", ".")),
                                cli.get("prefix", "train"),
                                cli.getInt("limit", Integer.MAX_VALUE));
                for (int i = 0; i < images.size(); i++) {
                    BufferedImage grey =
                            PublishImages.grey(images.image(i), images.height(), images.width());
                    byte[] chw =
                            io.instahide.core.image.ImageFitting.toChw(
                                    io.instahide.core.image.ImageFitting.fit(
                                            grey, shape[0], shape[1], shape[2]),
                                    shape[0]);
                    String id = prefix + i;
                    pool.put(id, chw, shape);
                    published.add(id);
                }
            }
            int removed = 0;
            for (String id : before) {
                if (!published.contains(id)) {
                    pool.remove(id);
                    removed++;
                }
            }
            out.printf(
                    "Published %,d public images to %s%s%n",
                    published.size(),
                    topic,
                    cli.has("replace") ? String.format("; removed %,d old ones", removed) : "");
        } catch (IOException | KafkaException e) {
            err.println("build-pool: " + e.getMessage());
            return PublishImages.FAILED;
        }
        return skipped == 0 ? PublishImages.OK : PublishImages.SKIPPED;
    }
}
