package io.sr4j.nn;

import static io.sr4j.nn.NnTestSupport.assertGradientsOk;
import static io.sr4j.nn.NnTestSupport.uniform;

import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Finite-difference gradient checks (GradientCheckUtil, double precision) of FastConv2D configurations. The layer
 * under test ("conv") sits after a 1x1 FastConv2D ("pre"), so the check of "pre"'s parameters also checks the
 * input gradient (epsilon) that "conv" passes back.
 */
class FastConv2DGradientTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    static Stream<Arguments> configurations() {
        IActivation tanh = new ActivationTanH();
        IActivation identity = new ActivationIdentity();
        return Stream.of(
                Arguments.of("3x3 SAME, 7x5, 2->3, tanh", 7, 5, 2,
                        new FastConv2D.Builder(3).nOut(3).activation(tanh)),
                Arguments.of("9x9 SAME, 9x6, 2->2", 9, 6, 2,
                        new FastConv2D.Builder(9).nOut(2).activation(identity)),
                Arguments.of("4x4 stride 2 pad 1, 9x6, 3->2", 9, 6, 3,
                        new FastConv2D.Builder(4).stride(2, 2).padding(1, 1).nOut(2).activation(tanh)),
                Arguments.of("1x1, 7x5, 3->4", 7, 5, 3,
                        new FastConv2D.Builder(1).nOut(4).activation(tanh)),
                Arguments.of("3x3 SAME no bias, 7x5, 2->3", 7, 5, 2,
                        new FastConv2D.Builder(3).hasBias(false).nOut(3).activation(tanh)),
                Arguments.of("3x3 REPLICATE, 7x5, 2->3", 7, 5, 2,
                        new FastConv2D.Builder(3).paddingMode(FastConv2D.Padding.REPLICATE).nOut(3)
                                .activation(identity)),
                Arguments.of("5x3 REPLICATE stride 2, 9x6, 2->2", 9, 6, 2,
                        new FastConv2D.Builder(5, 3).stride(2, 2).paddingMode(FastConv2D.Padding.REPLICATE)
                                .nOut(2).activation(tanh)),
                Arguments.of("3x3 SAME LeakyReLU(0.2), 7x5, 3->4", 7, 5, 3,
                        new FastConv2D.Builder(3).nOut(4).activation(new ActivationLReLU(0.2))),
                Arguments.of("3x3 SAME ReLU, 7x5, 3->4", 7, 5, 3,
                        new FastConv2D.Builder(3).nOut(4).activation(new ActivationReLU())),
                Arguments.of("3x3 SAME sigmoid, 7x5, 2->2", 7, 5, 2,
                        new FastConv2D.Builder(3).nOut(2).activation(new ActivationSigmoid())),
                Arguments.of("3x3 valid (pad 0), 7x5, 2->2", 7, 5, 2,
                        new FastConv2D.Builder(3).padding(0, 0).nOut(2).activation(tanh)),
                Arguments.of("3x3 SAME stride 2 with l2 1e-2, 9x6, 2->3", 9, 6, 2,
                        new FastConv2D.Builder(3).stride(2, 2).nOut(3).l2(1e-2).activation(tanh)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void gradientCheck(String name, int height, int width, int channels, FastConv2D.Builder underTest) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .addLayer("pre", new FastConv2D.Builder(1).nOut(channels).activation(new ActivationTanH())
                        .biasInit(0.1).build(), "in")
                .addLayer("conv", underTest.biasInit(0.05).build(), "pre")
                .addLayer("loss", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build(), "conv")
                .setOutputs("loss")
                .setInputTypes(InputType.convolutional(height, width, channels))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();

        Nd4j.getRandom().setSeed(7);
        INDArray input = uniform(DataType.DOUBLE, 2, channels, height, width);
        INDArray labels = uniform(DataType.DOUBLE, graph.outputSingle(input).shape());
        assertGradientsOk(graph, input, labels);
    }
}
