package io.sr4j.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sr4j.nn.InputGradientGraph;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference checks of whole graphs in double precision: with {@code L = sum(output * R)} for a fixed random
 * R, the backpropagated dL/dParams and dL/dInput must match central differences at sampled positions.
 */
final class GraphGradients {
  private GraphGradients() {}

  /**
   * The graph in double precision with every parameter drawn uniformly from [-0.2, 0.2]: non-zero biases keep
   * ReLU inputs off their kink (with zero biases, a 1x1 convolution of an all-zero ReLU output sits exactly on it,
   * where central differences see half a slope).
   */
  static InputGradientGraph doubleGraph(ComputationGraphConfiguration conf) {
    conf.setDataType(DataType.DOUBLE);
    InputGradientGraph g = new InputGradientGraph(conf);
    g.init();
    Nd4j.getRandom().setSeed(42);
    g.params().assign(Nd4j.rand(DataType.DOUBLE, g.params().shape()).subi(0.5).muli(0.4));
    return g;
  }

  private static double loss(InputGradientGraph g, INDArray x, INDArray[] r) {
    INDArray[] out = g.forwardTrain(x);
    double sum = 0;
    for (int i = 0; i < out.length; i++) {
      sum += out[i].mul(r[i]).sumNumber().doubleValue();
    }
    return sum;
  }

  /**
   * Checks {@code samples} random parameters and, with {@code inputGradient}, as many input elements (generators skip
   * the gradient of their input); returns how many were checked.
   */
  static int check(InputGradientGraph g, INDArray x, int samples, long seed, boolean inputGradient) {
    INDArray[] out = g.forwardTrain(x);
    Nd4j.getRandom().setSeed(seed);
    INDArray[] r = new INDArray[out.length];
    for (int i = 0; i < out.length; i++) {
      r[i] = Nd4j.rand(DataType.DOUBLE, out[i].shape()).subi(0.5);
    }
    g.forwardTrain(x);
    InputGradientGraph.Gradients grads = g.backpropWithInputGradients(r);
    Map<String, INDArray> analytic = grads.parameters().gradientForVariable();
    INDArray dx = inputGradient ? grads.inputs()[0].dup() : null;
    Random rnd = new Random(seed);
    double h = 1e-6;
    int checked = 0;
    Object[] keys = g.paramTable().keySet().toArray();
    for (int k = 0; k < samples; k++) {
      String key = (String) keys[rnd.nextInt(keys.length)];
      if (key.endsWith("_mean") || key.endsWith("_var")) {
        k--; // BatchNorm running statistics are not trained by gradients: draw another parameter
        continue;
      }
      INDArray p = g.getParam(key);
      long i = rnd.nextInt((int) p.length());
      double old = p.getDouble(i);
      p.putScalar(i, old + h);
      double up = loss(g, x, r);
      p.putScalar(i, old - h);
      double down = loss(g, x, r);
      p.putScalar(i, old);
      double numeric = (up - down) / (2 * h);
      double exact = analytic.get(key).getDouble(i);
      assertEquals(numeric, exact, 1e-5 * Math.max(1, Math.abs(numeric)), "dL/d" + key + "[" + i + "]");
      checked++;
    }
    for (int k = 0; inputGradient && k < samples; k++) {
      long i = rnd.nextInt((int) x.length());
      double old = x.getDouble(i);
      x.putScalar(i, old + h);
      double up = loss(g, x, r);
      x.putScalar(i, old - h);
      double down = loss(g, x, r);
      x.putScalar(i, old);
      double numeric = (up - down) / (2 * h);
      assertEquals(numeric, dx.getDouble(i), 1e-5 * Math.max(1, Math.abs(numeric)), "dL/dInput[" + i + "]");
      checked++;
    }
    return checked;
  }
}
