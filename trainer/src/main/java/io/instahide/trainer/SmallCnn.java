package io.instahide.trainer;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The trainers' model: two 5x5 convolutions (16 and 32 filters, each followed by 2x2 max pooling),
 * a 128-unit dense layer and a softmax output trained with {@link SoftLabelCrossEntropy} by Adam.
 * Small enough to train on MNIST-size images on two CPU cores.
 */
public final class SmallCnn {

    private SmallCnn() {}

    public static MultiLayerNetwork create(
            int channels, int height, int width, int classes, long seed, double learningRate) {
        MultiLayerConfiguration configuration =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .updater(new Adam(learningRate))
                        .weightInit(WeightInit.RELU)
                        .list()
                        .layer(
                                new ConvolutionLayer.Builder(5, 5)
                                        .nOut(16)
                                        .activation(Activation.RELU)
                                        .build())
                        .layer(maxPool())
                        .layer(
                                new ConvolutionLayer.Builder(5, 5)
                                        .nOut(32)
                                        .activation(Activation.RELU)
                                        .build())
                        .layer(maxPool())
                        .layer(
                                new DenseLayer.Builder()
                                        .nOut(128)
                                        .activation(Activation.RELU)
                                        .build())
                        .layer(
                                new OutputLayer.Builder(new SoftLabelCrossEntropy())
                                        .nOut(classes)
                                        .activation(Activation.SOFTMAX)
                                        .weightInit(WeightInit.XAVIER)
                                        .build())
                        .setInputType(InputType.convolutional(height, width, channels))
                        .build();
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        return network;
    }

    private static SubsamplingLayer maxPool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(2, 2)
                .stride(2, 2)
                .build();
    }
}
