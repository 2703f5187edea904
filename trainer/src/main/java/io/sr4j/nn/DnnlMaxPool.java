package io.sr4j.nn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_backward;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.pointers.PagedPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Max pooling of float NCHW arrays on oneDNN primitives (CPU backend; see {@link DnnlConvolution#enabledFor}),
 * without padding: output size {@code (in - kernel) / stride + 1} (rounded down). A training-mode forward pass also
 * writes a workspace (which input element each output came from) that its backward pass routes dL/dOutput with.
 * Every array is dense row-major. Primitives are cached per shape (at most 256, least recently used dropped); calls
 * on one shape are serialised.
 */
final class DnnlMaxPool {
  private static final int MAX_CACHED = 256;

  /** Input [n, c, h, w], square window {@code kernel}, stride {@code stride} along both axes. */
  record Shape(long n, long c, long h, long w, int kernel, int stride) {
    long outH() {
      return (h - kernel) / stride + 1;
    }

    long outW() {
      return (w - kernel) / stride + 1;
    }

    long[] src() {
      return new long[] {n, c, h, w};
    }

    long[] dst() {
      return new long[] {n, c, outH(), outW()};
    }
  }

  private static final PrimitiveCache<Shape, Kernels> CACHE = new PrimitiveCache<>(() -> MAX_CACHED, Kernels::new);

  private DnnlMaxPool() {
  }

  static Kernels kernels(Shape shape) {
    return CACHE.get(shape);
  }

  /** The primitives of one shape with their argument memories (data handles bound per call). */
  static final class Kernels {
    private final pooling_forward.primitive_desc trainingPd;
    private final pooling_forward training;
    private final pooling_forward inference;
    private final pooling_backward backward;
    private final memory src;
    private final memory dst;
    private final memory workspace;
    private final IntMemoryMap trainingArgs = new IntMemoryMap();
    private final IntMemoryMap inferenceArgs = new IntMemoryMap();
    private final IntMemoryMap backwardArgs = new IntMemoryMap();

    private Kernels(Shape s) {
      memory.desc srcDesc = DnnlConvolution.plain(s.src(), memory.format_tag.nchw);
      memory.desc dstDesc = DnnlConvolution.plain(s.dst(), memory.format_tag.nchw);
      long[] strides = {s.stride(), s.stride()};
      long[] kernel = {s.kernel(), s.kernel()};
      long[] noPad = {0, 0};
      // right/bottom padding that makes (in + padR - k) / stride + 1 = out exactly: negative for rows or columns that
      // no window reaches, which oneDNN requires to be stated
      long[] padR = {(s.outH() - 1) * s.stride() + s.kernel() - s.h(),
          (s.outW() - 1) * s.stride() + s.kernel() - s.w()};
      trainingPd = new pooling_forward.primitive_desc(new pooling_forward.desc(prop_kind.forward_training,
          algorithm.pooling_max, srcDesc, dstDesc, strides, kernel, noPad, padR), DnnlConvolution.Native.ENGINE);
      training = new pooling_forward(trainingPd);
      inference = new pooling_forward(new pooling_forward.primitive_desc(new pooling_forward.desc(
          prop_kind.forward_inference, algorithm.pooling_max, srcDesc, dstDesc, strides, kernel, noPad, padR),
          DnnlConvolution.Native.ENGINE));
      backward = new pooling_backward(new pooling_backward.primitive_desc(new pooling_backward.desc(
          algorithm.pooling_max, srcDesc, dstDesc, strides, kernel, noPad, padR), DnnlConvolution.Native.ENGINE,
          trainingPd));
      src = new memory(srcDesc, DnnlConvolution.Native.ENGINE, new Pointer());
      dst = new memory(dstDesc, DnnlConvolution.Native.ENGINE, new Pointer());
      workspace = new memory(trainingPd.workspace_desc(), DnnlConvolution.Native.ENGINE, new Pointer());
      trainingArgs.put(DNNL_ARG_SRC, src);
      trainingArgs.put(DNNL_ARG_DST, dst);
      trainingArgs.put(DNNL_ARG_WORKSPACE, workspace);
      inferenceArgs.put(DNNL_ARG_SRC, src);
      inferenceArgs.put(DNNL_ARG_DST, dst);
      backwardArgs.put(DNNL_ARG_DIFF_DST, dst);
      backwardArgs.put(DNNL_ARG_DIFF_SRC, src);
      backwardArgs.put(DNNL_ARG_WORKSPACE, workspace);
    }

    /** A new array for the workspace of one training-mode forward pass. */
    INDArray newWorkspace() {
      return Nd4j.createUninitialized(DataType.BYTE, workspaceBytes());
    }

    /** Whether {@code ws} (may be null) has this shape's workspace size. */
    boolean workspaceFits(INDArray ws) {
      return ws != null && ws.length() == workspaceBytes();
    }

    private long workspaceBytes() {
      return Math.max(1, trainingPd.workspace_desc().get_size());
    }

    /** out = maxpool(x); with a workspace from {@link #newWorkspace} (training), else without. */
    synchronized void forward(INDArray x, INDArray out, INDArray ws) {
      src.set_data_handle(DnnlConvolution.pointer(x));
      dst.set_data_handle(DnnlConvolution.pointer(out));
      if (ws == null) {
        inference.execute(DnnlConvolution.Native.STREAM.get(), inferenceArgs);
        return;
      }
      workspace.set_data_handle(new PagedPointer(ws.data().addressPointer().address()));
      training.execute(DnnlConvolution.Native.STREAM.get(), trainingArgs);
    }

    /** dx = dL/dInput for dOut = dL/dOutput, from the workspace of the training-mode forward pass. */
    synchronized void backward(INDArray dOut, INDArray ws, INDArray dx) {
      dst.set_data_handle(DnnlConvolution.pointer(dOut));
      src.set_data_handle(DnnlConvolution.pointer(dx));
      workspace.set_data_handle(new PagedPointer(ws.data().addressPointer().address()));
      backward.execute(DnnlConvolution.Native.STREAM.get(), backwardArgs);
    }
  }
}
