package io.sr4j.nn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;

import java.util.Arrays;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.resampling_forward;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Nearest-neighbour upsampling by integer factors of float arrays in the blocked layout {@code nChw16c} on oneDNN's
 * resampling primitive (CPU backend; see {@link DnnlConvolution#enabledFor}): output pixel (y, x) is input pixel
 * (y / factorH, x / factorW), a copy, written with aligned stores: the output must start on a 64-byte boundary
 * ({@link Kernels#newOutput}; an unaligned one makes the primitive fault, so it is refused). Forward only: oneDNN's
 * backward pass sums the gradients of an input pixel, for some shapes, column by column, where libnd4j's
 * {@code upsampling_bp} (DL4J's Upsampling2D) sums row by row, so its results can differ from DL4J's in the last bit.
 * Every array is dense. Primitives are cached per shape (at most 256, least recently used dropped); calls on one shape
 * are serialised.
 */
final class DnnlUpsampling {
  private static final int MAX_CACHED = 256;
  private static final int ALIGNMENT = 64;

  /** Input [n, c, h, w] (c divisible by 16), factors along the rows and the columns. */
  record Shape(long n, long c, long h, long w, int factorH, int factorW) {
    long[] src() {
      return new long[] {n, c, h, w};
    }

    long[] dst() {
      return new long[] {n, c, h * factorH, w * factorW};
    }
  }

  private static final PrimitiveCache<Shape, Kernels> CACHE = new PrimitiveCache<>(() -> MAX_CACHED, Kernels::new);

  private DnnlUpsampling() {
  }

  static Kernels kernels(Shape shape) {
    return CACHE.get(shape);
  }

  /** The forward primitive of one shape with its argument memories (data handles bound per call). */
  static final class Kernels {
    private final resampling_forward forward;
    private final memory src;
    private final memory dst;
    private final IntMemoryMap args = new IntMemoryMap();
    private final long[] dstDims;
    private final long dstLength;

    private Kernels(Shape s) {
      dstDims = s.dst();
      dstLength = Arrays.stream(dstDims).reduce(1, Math::multiplyExact);
      memory.desc srcDesc = DnnlConvolution.plain(s.src(), memory.format_tag.nChw16c);
      memory.desc dstDesc = DnnlConvolution.plain(s.dst(), memory.format_tag.nChw16c);
      forward = new resampling_forward(new resampling_forward.primitive_desc(new resampling_forward.desc(
          prop_kind.forward_training, algorithm.resampling_nearest, srcDesc, dstDesc),
          DnnlConvolution.Native.ENGINE));
      src = new memory(srcDesc, DnnlConvolution.Native.ENGINE, new Pointer());
      dst = new memory(dstDesc, DnnlConvolution.Native.ENGINE, new Pointer());
      args.put(DNNL_ARG_SRC, src);
      args.put(DNNL_ARG_DST, dst);
    }

    /**
     * A new activation array for {@link #forward}: dense, row-major, its first element on a 64-byte boundary (a view
     * of an array 64 bytes longer).
     */
    INDArray newOutput(LayerWorkspaceMgr workspaceMgr) {
      INDArray flat = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
          new long[] {dstLength + ALIGNMENT / Float.BYTES}, 'c');
      long skip = (ALIGNMENT - DnnlConvolution.pointer(flat).address() % ALIGNMENT) % ALIGNMENT / Float.BYTES;
      return flat.get(NDArrayIndex.interval(skip, skip + dstLength)).reshape('c', dstDims);
    }

    /** out = upsample(x); {@code out} from {@link #newOutput}. */
    synchronized void forward(INDArray x, INDArray out) {
      src.set_data_handle(DnnlConvolution.pointer(x));
      Pointer to = DnnlConvolution.pointer(out);
      if (to.address() % ALIGNMENT != 0 || !Arrays.equals(out.shape(), dstDims)) {
        throw new IllegalArgumentException("upsampling output must be a " + Arrays.toString(dstDims)
            + " array starting on a " + ALIGNMENT + "-byte boundary, got " + Arrays.toString(out.shape()) + " at "
            + to.address());
      }
      dst.set_data_handle(to);
      forward.execute(DnnlConvolution.Native.STREAM.get(), args);
    }
  }
}
