package io.sr4j.nn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;

import java.util.Arrays;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * (Leaky) ReLU {@code out = x > 0 ? x : slope * x} and its backward {@code dx = dOut * (x > 0 ? 1 : slope)} on
 * oneDNN's elementwise primitives, for dense row-major float arrays (CPU backend; see
 * {@link DnnlConvolution#enabledFor}). One pass over the data each, against several ND4J ops. The backward reads
 * either the input or the output (same sign for {@code slope >= 0}). Primitives are cached per shape, slope and
 * kind (at most 256, least recently used dropped); calls on one cached primitive are serialised.
 */
final class DnnlRelu {
  private static final int MAX_CACHED = 256;

  private enum Kind { FORWARD, BACKWARD_FROM_INPUT, BACKWARD_FROM_OUTPUT }

  private record Key(long[] dims, float slope, Kind kind) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(dims, k.dims) && slope == k.slope && kind == k.kind;
    }

    @Override
    public int hashCode() {
      return (Arrays.hashCode(dims) * 31 + Float.hashCode(slope)) * 31 + kind.hashCode();
    }
  }

  private static final PrimitiveCache<Key, Kernel> CACHE = new PrimitiveCache<>(() -> MAX_CACHED, Kernel::new);

  private DnnlRelu() {
  }

  /** out = x > 0 ? x : slope * x. */
  static void forward(double slope, INDArray x, INDArray out) {
    kernel(x.shape(), slope, Kind.FORWARD).run(x, null, out);
  }

  /** dx = dOut * (x > 0 ? 1 : slope), from the forward input {@code x}. */
  static void backwardFromInput(double slope, INDArray dOut, INDArray x, INDArray dx) {
    kernel(x.shape(), slope, Kind.BACKWARD_FROM_INPUT).run(x, dOut, dx);
  }

  /** dx = dOut * (out > 0 ? 1 : slope), from the forward output {@code out} (slope >= 0). */
  static void backwardFromOutput(double slope, INDArray dOut, INDArray out, INDArray dx) {
    kernel(out.shape(), slope, Kind.BACKWARD_FROM_OUTPUT).run(out, dOut, dx);
  }

  private static Kernel kernel(long[] dims, double slope, Kind kind) {
    return CACHE.get(new Key(dims.clone(), (float) slope, kind));
  }

  /** One elementwise primitive with its argument memories (data handles bound per call). */
  private static final class Kernel {
    private final primitive primitive;
    private final memory data;
    private final memory diffDst;
    private final memory result;
    private final IntMemoryMap args = new IntMemoryMap();

    Kernel(Key key) {
      memory.format_tag tag = switch (key.dims().length) {
        case 1 -> memory.format_tag.a;
        case 2 -> memory.format_tag.ab;
        case 3 -> memory.format_tag.abc;
        case 4 -> memory.format_tag.abcd;
        case 5 -> memory.format_tag.abcde;
        default -> throw new IllegalArgumentException("rank " + key.dims().length + " not supported");
      };
      memory.desc desc = DnnlConvolution.plain(key.dims(), tag);
      algorithm alg = key.kind() == Kind.BACKWARD_FROM_OUTPUT ? algorithm.eltwise_relu_use_dst_for_bwd
          : algorithm.eltwise_relu;
      eltwise_forward.primitive_desc forwardPd = new eltwise_forward.primitive_desc(new eltwise_forward.desc(
          prop_kind.forward_training, alg, desc, key.slope(), 0f), DnnlConvolution.Native.ENGINE);
      data = new memory(desc, DnnlConvolution.Native.ENGINE, new Pointer());
      result = new memory(desc, DnnlConvolution.Native.ENGINE, new Pointer());
      if (key.kind() == Kind.FORWARD) {
        primitive = new eltwise_forward(forwardPd);
        diffDst = null;
        args.put(DNNL_ARG_SRC, data);
        args.put(DNNL_ARG_DST, result);
      } else {
        primitive = new eltwise_backward(new eltwise_backward.primitive_desc(new eltwise_backward.desc(alg, desc,
            desc, key.slope(), 0f), DnnlConvolution.Native.ENGINE, forwardPd));
        diffDst = new memory(desc, DnnlConvolution.Native.ENGINE, new Pointer());
        args.put(key.kind() == Kind.BACKWARD_FROM_OUTPUT ? DNNL_ARG_DST : DNNL_ARG_SRC, data);
        args.put(DNNL_ARG_DIFF_DST, diffDst);
        args.put(DNNL_ARG_DIFF_SRC, result);
      }
    }

    synchronized void run(INDArray in, INDArray dOut, INDArray out) {
      data.set_data_handle(DnnlConvolution.pointer(in));
      if (diffDst != null) {
        diffDst.set_data_handle(DnnlConvolution.pointer(dOut));
      }
      result.set_data_handle(DnnlConvolution.pointer(out));
      primitive.execute(DnnlConvolution.Native.STREAM.get(), args);
    }
  }
}
