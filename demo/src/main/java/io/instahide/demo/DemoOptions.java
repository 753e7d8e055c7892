package io.instahide.demo;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.ParameterTool;
import org.apache.flink.util.TimeUtils;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** The demo's own options; any other {@code --key value} goes to the job (see JobOptions). */
record DemoOptions(
        int images,
        int pool,
        double rate,
        int devices,
        int badEvery,
        boolean keepStreaming,
        int parallelism,
        Path data,
        Path out,
        Duration timeout,
        String prometheusPorts,
        Configuration job) {

    static final String USAGE =
            """
demo/run.sh [options] [job options]
  --images N          MNIST test images the devices publish (default 10000, at most 10000)
  --pool N            Fashion-MNIST images in the public pool (default 10000)
  --rate R            images per second from all devices together (default 2000; 0: as fast as possible)
  --devices N         simulated cameras (default 8)
  --bad-every N       every N-th record is bad input, to show dead-lettering (default 500; 0: none)
  --keep-streaming    loop over the images until Ctrl-C
  --parallelism N     Flink parallelism (default 2)
  --data DIR          datasets from scripts/fetch-datasets.sh (default .cache/datasets)
  --out DIR           where the summary PNG goes (default demo-output)
  --timeout DURATION  give up if the outputs are not complete by then (default 10 min)
  --prometheus-ports  port range of the Prometheus endpoint, on 127.0.0.1 (default 9249-9259)
  Job options such as --instahide.k 4 or --instahide.encryptions-per-image 2 are passed to
  the job (README, configuration table).
""";

    private static final Set<String> OWN =
            Set.of(
                    "images",
                    "pool",
                    "rate",
                    "devices",
                    "bad-every",
                    "keep-streaming",
                    "parallelism",
                    "data",
                    "out",
                    "timeout",
                    "prometheus-ports",
                    "help");

    static DemoOptions parse(String[] args) {
        ParameterTool parameters = ParameterTool.fromArgs(args);
        Configuration job = MnistStream.jobOptions(parameters.toMap(), OWN, "2 s");
        int images = parameters.getInt("images", 10_000);
        if (images < 1 || images > 10_000) {
            throw new IllegalArgumentException("--images must be in 1..10000, got " + images);
        }
        return new DemoOptions(
                images,
                parameters.getInt("pool", 10_000),
                parameters.getDouble("rate", 2_000),
                parameters.getInt("devices", 8),
                parameters.getInt("bad-every", 500),
                parameters.has("keep-streaming"),
                parameters.getInt("parallelism", 2),
                Path.of(parameters.get("data", ".cache/datasets")),
                Path.of(parameters.get("out", "demo-output")),
                TimeUtils.parseDuration(parameters.get("timeout", "10 min")),
                parameters.get("prometheus-ports", "9249-9259"),
                job);
    }

    static boolean wantsHelp(String[] args) {
        return ParameterTool.fromArgs(args).has("help");
    }
}
