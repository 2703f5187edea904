package io.sr4j.nn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.global.dnnl.normalization_flags;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalisation of float NCHW arrays on oneDNN primitives (CPU backend; see
 * {@link DnnlConvolution#enabledFor}): {@code y = gamma * (x - mean) / sqrt(var + eps) + beta} per channel, with
 * the batch's mean and biased variance over N, H and W (training) or given statistics (inference), and the
 * backward pass. Every array is dense row-major; the per-channel ones are [C]. Primitives are cached per shape and
 * eps (at most 256 shapes, least recently used dropped); calls on one shape are serialised.
 */
final class DnnlBatchNorm {
  private static final int MAX_CACHED = 256;

  /** Input [n, c, h, w] and eps. */
  record Shape(long n, long c, long h, long w, float eps) {
  }

  private static final PrimitiveCache<Shape, Kernels> CACHE = new PrimitiveCache<>(() -> MAX_CACHED, Kernels::new);

  private DnnlBatchNorm() {
  }

  static Kernels kernels(Shape shape) {
    return CACHE.get(shape);
  }

  /** The primitives of one shape, created on first use of each, with their argument memories. */
  static final class Kernels {
    private final Shape shape;
    private final memory.desc data;
    private final memory.desc channels;
    private final int scaleShift = normalization_flags.use_scale.value | normalization_flags.use_shift.value;
    private batch_normalization_forward.primitive_desc trainingPd;
    private batch_normalization_forward training;
    private batch_normalization_forward inference;
    private batch_normalization_backward backward;
    private final memory src;
    private final memory dst;
    private final memory mean;
    private final memory variance;
    private final memory scale;
    private final memory shift;
    private final memory diffDst;
    private final memory diffSrc;
    private final memory diffScale;
    private final memory diffShift;

    private final IntMemoryMap forwardArgs = new IntMemoryMap();
    private final IntMemoryMap backwardArgs = new IntMemoryMap();

    private Kernels(Shape s) {
      this.shape = s;
      data = DnnlConvolution.plain(new long[] {s.n(), s.c(), s.h(), s.w()}, memory.format_tag.nchw);
      channels = DnnlConvolution.plain(new long[] {s.c()}, memory.format_tag.x);
      src = unbound(data);
      dst = unbound(data);
      diffDst = unbound(data);
      diffSrc = unbound(data);
      mean = unbound(channels);
      variance = unbound(channels);
      scale = unbound(channels);
      shift = unbound(channels);
      diffScale = unbound(channels);
      diffShift = unbound(channels);
      for (IntMemoryMap args : new IntMemoryMap[] {forwardArgs, backwardArgs}) {
        args.put(DNNL_ARG_SRC, src);
        args.put(DNNL_ARG_MEAN, mean);
        args.put(DNNL_ARG_VARIANCE, variance);
        args.put(DNNL_ARG_SCALE, scale);
        args.put(DNNL_ARG_SHIFT, shift);
      }
      forwardArgs.put(DNNL_ARG_DST, dst);
      backwardArgs.put(DNNL_ARG_DIFF_DST, diffDst);
      backwardArgs.put(DNNL_ARG_DIFF_SRC, diffSrc);
      backwardArgs.put(DNNL_ARG_DIFF_SCALE, diffScale);
      backwardArgs.put(DNNL_ARG_DIFF_SHIFT, diffShift);
    }

    private static memory unbound(memory.desc desc) {
      return new memory(desc, DnnlConvolution.Native.ENGINE, new Pointer());
    }

    /** y from x with the batch statistics, which are written to {@code batchMean} and {@code batchVar} [C]. */
    synchronized void forwardTraining(INDArray x, INDArray gamma, INDArray beta, INDArray y, INDArray batchMean,
        INDArray batchVar) {
      if (training == null) {
        training = new batch_normalization_forward(trainingPd());
      }
      bind(x, batchMean, batchVar, gamma, beta);
      dst.set_data_handle(DnnlConvolution.pointer(y));
      training.execute(DnnlConvolution.Native.STREAM.get(), forwardArgs);
    }

    /** y from x with the given statistics {@code mean} and {@code var} [C]. */
    synchronized void forwardInference(INDArray x, INDArray gamma, INDArray beta, INDArray mean, INDArray var,
        INDArray y) {
      if (inference == null) {
        inference = new batch_normalization_forward(new batch_normalization_forward.primitive_desc(
            new batch_normalization_forward.desc(prop_kind.forward_inference.value, data, shape.eps(),
                scaleShift | normalization_flags.use_global_stats.value), DnnlConvolution.Native.ENGINE));
      }
      bind(x, mean, var, gamma, beta);
      dst.set_data_handle(DnnlConvolution.pointer(y));
      inference.execute(DnnlConvolution.Native.STREAM.get(), forwardArgs);
    }

    /**
     * dL/dx into {@code dx}, dL/dgamma and dL/dbeta [C] into {@code dGamma} and {@code dBeta}, for dL/dy {@code dy}
     * after {@link #forwardTraining} (its batch statistics). (oneDNN 2.5 has no input-gradient-only variant for this
     * layout; the two [C] sums are what dL/dx needs anyway.)
     */
    synchronized void backward(INDArray x, INDArray batchMean, INDArray batchVar, INDArray gamma, INDArray beta,
        INDArray dy, INDArray dx, INDArray dGamma, INDArray dBeta) {
      if (backward == null) {
        backward = new batch_normalization_backward(new batch_normalization_backward.primitive_desc(
            new batch_normalization_backward.desc(prop_kind.backward.value, data, data, shape.eps(), scaleShift),
            DnnlConvolution.Native.ENGINE, trainingPd()));
      }
      bind(x, batchMean, batchVar, gamma, beta);
      diffDst.set_data_handle(DnnlConvolution.pointer(dy));
      diffSrc.set_data_handle(DnnlConvolution.pointer(dx));
      diffScale.set_data_handle(DnnlConvolution.pointer(dGamma));
      diffShift.set_data_handle(DnnlConvolution.pointer(dBeta));
      backward.execute(DnnlConvolution.Native.STREAM.get(), backwardArgs);
    }

    private batch_normalization_forward.primitive_desc trainingPd() {
      if (trainingPd == null) {
        trainingPd = new batch_normalization_forward.primitive_desc(new batch_normalization_forward.desc(
            prop_kind.forward_training.value, data, shape.eps(), scaleShift), DnnlConvolution.Native.ENGINE);
      }
      return trainingPd;
    }

    private void bind(INDArray x, INDArray m, INDArray v, INDArray gamma, INDArray beta) {
      src.set_data_handle(DnnlConvolution.pointer(x));
      mean.set_data_handle(DnnlConvolution.pointer(m));
      variance.set_data_handle(DnnlConvolution.pointer(v));
      scale.set_data_handle(DnnlConvolution.pointer(gamma));
      shift.set_data_handle(DnnlConvolution.pointer(beta));
    }
  }
}
