package io.instahide.trainer;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The model the online trainer trains, by {@code --arch}: {@code small-cnn} ({@link SmallCnn}, a
 * layer stack) or {@code resnet} ({@link SmallResNet}, a graph), with what the trainer does to
 * either: fit a minibatch, evaluate, save and restore (a saved model says which it is).
 */
final class TrainerNetwork {

    static final List<String> ARCHITECTURES = List.of("small-cnn", "resnet");

    private final String architecture;
    private final MultiLayerNetwork layers;
    private final ComputationGraph graph;

    private TrainerNetwork(String architecture, MultiLayerNetwork layers, ComputationGraph graph) {
        this.architecture = architecture;
        this.layers = layers;
        this.graph = graph;
    }

    static TrainerNetwork create(
            String architecture, int[] shape, int classes, long seed, double learningRate) {
        return switch (architecture.toLowerCase(Locale.ROOT)) {
            case "small-cnn" ->
                    new TrainerNetwork(
                            "small-cnn",
                            SmallCnn.create(
                                    shape[0], shape[1], shape[2], classes, seed, learningRate),
                            null);
            case "resnet" ->
                    new TrainerNetwork(
                            "resnet",
                            null,
                            SmallResNet.create(
                                    shape[0], shape[1], shape[2], classes, seed, learningRate));
            default ->
                    throw new IllegalArgumentException(
                            "--arch must be one of " + ARCHITECTURES + ", not " + architecture);
        };
    }

    /** The architecture of the model saved at {@code file}. */
    static String savedArchitecture(Path file) throws IOException {
        return isGraph(file) ? "resnet" : "small-cnn";
    }

    /** The model saved at {@code file}; its architecture is read from its configuration. */
    static TrainerNetwork restore(Path file) throws IOException {
        if (isGraph(file)) {
            return new TrainerNetwork(
                    "resnet", null, ModelSerializer.restoreComputationGraph(file.toFile()));
        }
        return new TrainerNetwork(
                "small-cnn", ModelSerializer.restoreMultiLayerNetwork(file.toFile()), null);
    }

    /** A graph's configuration lists vertices; a layer stack's does not. */
    private static boolean isGraph(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry configuration = zip.getEntry("configuration.json");
            if (configuration == null) {
                throw new IOException(file + " is not a saved DL4J model (no configuration.json)");
            }
            String json =
                    new String(
                            zip.getInputStream(configuration).readAllBytes(),
                            StandardCharsets.UTF_8);
            return json.contains("\"vertices\"");
        }
    }

    String architecture() {
        return architecture;
    }

    void fit(DataSet minibatch) {
        if (graph != null) {
            graph.fit(minibatch);
        } else {
            layers.fit(minibatch);
        }
    }

    double score() {
        return model().score();
    }

    long iterations() {
        return graph != null ? graph.getIterationCount() : layers.getIterationCount();
    }

    double accuracy(DataSet test) {
        Evaluation evaluation =
                graph != null
                        ? graph.evaluate(new SingletonDataSetIterator(test))
                        : layers.evaluate(new SingletonDataSetIterator(test));
        return evaluation.accuracy();
    }

    void save(Path file) throws IOException {
        ModelSerializer.writeModel(model(), file.toFile(), true);
    }

    private Model model() {
        return graph != null ? graph : layers;
    }
}
