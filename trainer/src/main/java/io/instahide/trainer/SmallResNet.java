package io.instahide.trainer;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The trainers' stronger model, the same network as the Python trainer's {@code small_resnet}: a
 * 3x3 stem and three stages of two basic residual blocks (two 3x3 convolutions with batch
 * normalisation and a shortcut, a 1x1 projection where the shape changes) at 16, 32 and 64
 * channels, the last two stages halving the side, then global average pooling and a softmax output
 * trained with {@link SoftLabelCrossEntropy} by Adam. About 0.17M weights.
 */
public final class SmallResNet {

    private static final int BASE = 16;

    private SmallResNet() {}

    public static ComputationGraph create(
            int channels, int height, int width, int classes, long seed, double learningRate) {
        ComputationGraphConfiguration.GraphBuilder graph =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .updater(new Adam(learningRate))
                        .weightInit(WeightInit.RELU)
                        .convolutionMode(ConvolutionMode.Same)
                        .graphBuilder()
                        .addInputs("input")
                        .setInputTypes(InputType.convolutional(height, width, channels));
        graph.addLayer("stem", convolution(3, 1, BASE), "input")
                .addLayer("stem-bn", normalization(Activation.RELU), "stem");
        String last = "stem-bn";
        int inputs = BASE;
        int[] stages = {BASE, 2 * BASE, 4 * BASE};
        for (int stage = 0; stage < stages.length; stage++) {
            for (int block = 0; block < 2; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                last = block(graph, "s" + stage + "b" + block, last, inputs, stages[stage], stride);
                inputs = stages[stage];
            }
        }
        graph.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last)
                .addLayer(
                        "output",
                        new OutputLayer.Builder(new SoftLabelCrossEntropy())
                                .nOut(classes)
                                .activation(Activation.SOFTMAX)
                                .weightInit(WeightInit.XAVIER)
                                .build(),
                        "pool")
                .setOutputs("output");
        ComputationGraph network = new ComputationGraph(graph.build());
        network.init();
        return network;
    }

    /** One basic block; returns the name of its output vertex. */
    private static String block(
            ComputationGraphConfiguration.GraphBuilder graph,
            String name,
            String input,
            int inputs,
            int outputs,
            int stride) {
        graph.addLayer(name + "-a", convolution(3, stride, outputs), input)
                .addLayer(name + "-a-bn", normalization(Activation.RELU), name + "-a")
                .addLayer(name + "-b", convolution(3, 1, outputs), name + "-a-bn")
                .addLayer(name + "-b-bn", normalization(Activation.IDENTITY), name + "-b");
        String shortcut = input;
        if (stride != 1 || inputs != outputs) {
            graph.addLayer(name + "-proj", convolution(1, stride, outputs), input)
                    .addLayer(
                            name + "-proj-bn", normalization(Activation.IDENTITY), name + "-proj");
            shortcut = name + "-proj-bn";
        }
        graph.addVertex(
                        name + "-add",
                        new ElementWiseVertex(ElementWiseVertex.Op.Add),
                        name + "-b-bn",
                        shortcut)
                .addLayer(
                        name + "-out",
                        new ActivationLayer.Builder().activation(Activation.RELU).build(),
                        name + "-add");
        return name + "-out";
    }

    private static ConvolutionLayer convolution(int size, int stride, int outputs) {
        return new ConvolutionLayer.Builder(size, size)
                .stride(stride, stride)
                .nOut(outputs)
                .hasBias(false)
                .activation(Activation.IDENTITY)
                .build();
    }

    private static BatchNormalization normalization(Activation activation) {
        return new BatchNormalization.Builder().activation(activation).build();
    }
}
