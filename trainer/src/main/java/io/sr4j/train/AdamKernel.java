package io.sr4j.train;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.pointers.PagedPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ND4J's Adam step ({@link AdamUpdater#applyUpdater}, libnd4j's {@code adam_updater} op on float arrays) as a loop
 * over chunks copied to the Java heap: the same float operations in the same order, so the same bits (libnd4j's
 * loop is not contracted into fused multiply-adds: {@code AdamKernelTest} compares every element), in about half the
 * time (4.46 M parameters of RRDBNet nb=6: 12.4-14.0 ms with the op on two threads, 6.1-7.0 ms with this loop on one).
 *
 * <p>Per element, with {@code t} the iteration: {@code m = beta1 * m + g * (1 - beta1)},
 * {@code v = beta2 * v + g * g * (1 - beta2)}, {@code update = m * a / (sqrt(v) + epsilon)} into the gradient
 * array, where {@code a = lr * sqrt(1 - beta2^(t+1)) / (1 - beta1^(t+1))} is computed once as libnd4j computes it
 * (its {@code pow} for the powers, the division in double precision; epsilon where that is 0, NaN or infinite).
 */
final class AdamKernel {
  /** Elements per chunk copied to the heap (three arrays of 32 KB each). */
  private static final int CHUNK = 8192;

  private AdamKernel() {}

  /** Whether {@link #apply} handles {@code updater} on {@code gradient}: float, dense vectors of one length. */
  static boolean handles(GradientUpdater<?> updater, INDArray gradient) {
    return updater.getClass() == AdamUpdater.class && updater instanceof AdamUpdater adam
        && dense(gradient) && dense(adam.getM()) && dense(adam.getV())
        && adam.getM().length() == gradient.length() && adam.getV().length() == gradient.length();
  }

  /** {@code updater.applyUpdater(gradient, iteration, epoch)}, for arrays that {@link #handles} accepts. */
  static void apply(AdamUpdater updater, INDArray gradient, int iteration, int epoch) {
    Adam config = updater.getConfig();
    float lr = (float) config.getLearningRate(iteration, epoch);
    float beta1 = (float) config.getBeta1();
    float beta2 = (float) config.getBeta2();
    float epsilon = (float) config.getEpsilon();
    float power = (float) iteration + 1f;
    float beta1T = Transforms.pow(Nd4j.scalar(beta1), power).getFloat(0);
    float beta2T = Transforms.pow(Nd4j.scalar(beta2), power).getFloat(0);
    float step = (float) ((double) (lr * (float) Math.sqrt((float) (1.0 - beta2T))) / (1.0 - beta1T));
    if (Float.isNaN(step) || step == 0 || Float.isInfinite(step)) {
      step = epsilon;
    }
    run(floats(gradient), floats(updater.getM()), floats(updater.getV()), (int) gradient.length(), beta1, beta2,
        epsilon, step);
  }

  private static void run(FloatBuffer g, FloatBuffer m, FloatBuffer v, int n, float beta1, float beta2,
      float epsilon, float step) {
    float c1 = 1 - beta1;
    float c2 = 1 - beta2;
    float[] gc = new float[CHUNK];
    float[] mc = new float[CHUNK];
    float[] vc = new float[CHUNK];
    for (int from = 0; from < n; from += CHUNK) {
      int len = Math.min(CHUNK, n - from);
      g.get(from, gc, 0, len);
      m.get(from, mc, 0, len);
      v.get(from, vc, 0, len);
      for (int i = 0; i < len; i++) {
        float gi = gc[i];
        float mi = beta1 * mc[i] + gi * c1;
        float vi = beta2 * vc[i] + gi * gi * c2;
        mc[i] = mi;
        vc[i] = vi;
        gc[i] = (mi * step) / ((float) Math.sqrt(vi) + epsilon);
      }
      g.put(from, gc, 0, len);
      m.put(from, mc, 0, len);
      v.put(from, vc, 0, len);
    }
  }

  /** A float vector of at most 2^31 - 1 elements lying next to each other in memory. */
  private static boolean dense(INDArray a) {
    return a != null && a.dataType() == DataType.FLOAT && a.length() <= Integer.MAX_VALUE && a.isVectorOrScalar()
        && (a.length() == 1 || a.elementWiseStride() == 1);
  }

  /** The elements of dense {@code a} as a direct buffer over its memory. */
  private static FloatBuffer floats(INDArray a) {
    long address = a.data().addressPointer().address();
    return new FloatPointer(new PagedPointer(address)).capacity(a.length()).limit(a.length()).asBuffer();
  }
}
