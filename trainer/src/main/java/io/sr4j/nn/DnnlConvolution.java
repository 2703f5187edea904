package io.sr4j.nn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.pointers.PagedPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float convolution on oneDNN primitives of its own (JavaCPP {@code dnnl} presets), one {@link Kernels} per
 * convolution shape, created on first use and cached for the life of the process.
 *
 * <p>Every primitive (forward, backward-data, backward-weights) uses the direct algorithm with the memory layouts
 * oneDNN prefers for it (blocked channels, {@code nChw16c} and the like, on AVX-512). Callers hand over plain
 * NCHW / OIHW arrays; each primitive argument whose preferred layout differs is reordered into, or out of, a buffer
 * that belongs to the {@link Kernels} of that shape and is reused on every call (a new buffer of a few MB per call
 * costs more in page faults than the reorder itself). Reordered weights live in a {@link Weights} cache per layer,
 * refreshed by every forward pass and reused by its backward pass. The same shape always runs the same kernels, so
 * results are bitwise reproducible on a given machine and thread count.
 *
 * <p>Calls on one {@link Kernels} are serialised (its buffers are shared); different shapes run concurrently. The
 * buffers are ND4J arrays (counted by ND4J's off-heap limits); the cache keeps at most {@link #CACHE_PROPERTY}
 * megabytes of them, so inference on images of many sizes stays bounded.
 */
final class DnnlConvolution {

  /**
   * System property: megabytes of reorder buffers the cached {@link Kernels} may hold together (default 2048); the
   * least recently used shapes are dropped beyond it (their buffers return with the next garbage collection).
   */
  static final String CACHE_PROPERTY = "sr4j.conv.cacheMb";

  /** Kernels by shape, least recently used first; guarded by the class lock. */
  private static final LinkedHashMap<ConvShape, Kernels> KERNELS = new LinkedHashMap<>(64, 0.75f, true);
  private static long cachedBytes;

  /**
   * System property choosing the convolution kernels of {@link FastConv2D}: {@code auto} (default: these oneDNN
   * primitives for float networks on the CPU backend, libnd4j's {@code conv2d}/{@code conv2d_bp} otherwise, e.g.
   * cuDNN on CUDA and double precision), or {@code libnd4j} (always libnd4j's ops).
   */
  static final String PROPERTY = "sr4j.conv";

  private static volatile Boolean cpuBackend;

  private DnnlConvolution() {
  }

  /** Whether {@link FastConv2D} layers of {@code type} run on these primitives (read on every call). */
  static boolean enabledFor(DataType type) {
    String mode = System.getProperty(PROPERTY, "auto");
    switch (mode) {
      case "auto":
        break;
      case "libnd4j":
        return false;
      default:
        throw new IllegalStateException("system property " + PROPERTY + " must be auto or libnd4j, not '" + mode
            + "'");
    }
    if (type != DataType.FLOAT) {
      return false;
    }
    Boolean cpu = cpuBackend;
    if (cpu == null) {
      String backend = Nd4j.getExecutioner().getEnvironmentInformation()
          .getProperty("backend");
      cpu = "CPU".equalsIgnoreCase(backend);
      cpuBackend = cpu;
    }
    return cpu;
  }

  /**
   * A convolution shape: input [n, inC, inH, inW] (after any edge padding), weights [outC, inC, kH, kW], output
   * [n, outC, outH, outW], zero padding (padH, padW) on each side.
   */
  record ConvShape(long n, long inC, long inH, long inW, long outC, long outH, long outW, int kH, int kW,
      int strideH, int strideW, int padH, int padW, boolean bias) {

    long[] src() {
      return new long[] {n, inC, inH, inW};
    }

    long[] weights() {
      return new long[] {outC, inC, kH, kW};
    }

    long[] dst() {
      return new long[] {n, outC, outH, outW};
    }

    long[] strides() {
      return new long[] {strideH, strideW};
    }

    /** Right/bottom padding: what makes (in + padL + padR - k) / stride + 1 = out exactly. */
    long[] padR() {
      return new long[] {(outH - 1) * strideH + kH - inH - padH, (outW - 1) * strideW + kW - inW - padW};
    }

    long[] padL() {
      return new long[] {padH, padW};
    }
  }

  /** The cached primitives and buffers of {@code shape}. */
  static synchronized Kernels kernels(ConvShape shape) {
    Kernels k = KERNELS.get(shape);
    if (k == null) {
      k = new Kernels(shape);
      KERNELS.put(shape, k);
      account(k.bytes);
    }
    return k;
  }

  /** Adds {@code bytes} of new buffers and drops least recently used shapes while over the budget. */
  private static synchronized void account(long bytes) {
    cachedBytes += bytes;
    long budget = Long.getLong(CACHE_PROPERTY, 2048) << 20;
    Iterator<Map.Entry<ConvShape, Kernels>> it = KERNELS.entrySet().iterator();
    while (cachedBytes > budget && KERNELS.size() > 1 && it.hasNext()) {
      Kernels eldest = it.next().getValue();
      it.remove();
      cachedBytes -= eldest.bytes;
    }
  }

  /** Number of shapes in the cache. */
  static synchronized int cachedShapes() {
    return KERNELS.size();
  }

  /** Bytes of reorder buffers held by the cached kernels. */
  static synchronized long cachedBytes() {
    return cachedBytes;
  }

  /**
   * A oneDNN memory of {@code desc} whose buffer is an ND4J array (so that ND4J's off-heap limits count it), aligned
   * to 64 bytes; {@code owner[0]} receives the array, which must stay referenced as long as the memory is used.
   */
  private static memory buffer(memory.desc desc, INDArray[] owner) {
    long bytes = desc.get_size();
    INDArray array;
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      array = Nd4j.createUninitialized(DataType.BYTE, bytes + ALIGNMENT);
    }
    owner[0] = array;
    long address = array.data().addressPointer().address();
    long aligned = (address + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    return new memory(desc, Native.ENGINE, new PagedPointer(aligned));
  }

  private static final int ALIGNMENT = 64;

  /** Whether the elements of {@code a} lie densely in row-major (c) order; strides of size-1 axes are ignored. */
  static boolean isDenseRowMajor(INDArray a) {
    long expected = 1;
    for (int i = a.rank() - 1; i >= 0; i--) {
      if (a.size(i) != 1 && a.stride(i) != expected) {
        return false;
      }
      expected *= a.size(i);
    }
    return true;
  }

  /** Address of the first element of {@code a} (float, dense row-major) as a JavaCPP pointer. */
  private static Pointer pointer(INDArray a) {
    if (!isDenseRowMajor(a)) {
      throw new IllegalArgumentException("oneDNN convolution needs dense row-major arrays, got shape "
          + java.util.Arrays.toString(a.shape()) + " strides " + java.util.Arrays.toString(a.stride()));
    }
    return new PagedPointer(a.data().addressPointer().address());
  }

  private static memory.desc plain(long[] dims, memory.format_tag tag) {
    return new memory.desc(dims, memory.data_type.f32, tag);
  }

  private static memory.desc any(long[] dims) {
    return new memory.desc(dims, memory.data_type.f32, memory.format_tag.any);
  }

  /**
   * One tensor argument of a primitive: the caller's array in its plain layout and, when the primitive prefers
   * another layout, a persistent buffer in that layout with the reorders between the two.
   */
  private static final class Operand {
    final memory user;
    final memory internal;
    /** The array behind {@link #internal} when it is a buffer of its own. */
    private final INDArray[] storage = new INDArray[1];
    private final reorder toInternal;
    private final reorder toUser;

    Operand(memory.desc plainDesc, memory.desc wanted) {
      this.user = new memory(plainDesc, Native.ENGINE, new Pointer());
      if (wanted.equals(plainDesc)) {
        this.internal = user;
        this.toInternal = null;
        this.toUser = null;
      } else {
        this.internal = buffer(wanted, storage);
        this.toInternal = new reorder(user, internal);
        this.toUser = new reorder(internal, user);
      }
    }

    /** Bytes of the buffer of its own (0 if the primitive works on the caller's array). */
    long bytes() {
      return storage[0] == null ? 0 : storage[0].length();
    }

    /** Binds {@code a} and copies it into the primitive's layout. */
    void load(INDArray a, stream s) {
      user.set_data_handle(pointer(a));
      if (toInternal != null) {
        toInternal.execute(s, user, internal);
      }
    }

    /** Binds {@code a} as the destination of a later {@link #store}. */
    void bind(INDArray a) {
      user.set_data_handle(pointer(a));
    }

    /** Copies the primitive's result into the bound array. */
    void store(stream s) {
      if (toUser != null) {
        toUser.execute(s, internal, user);
      }
    }
  }

  /**
   * Reordered copies of one layer's weights, in the layouts its primitives want. {@link #invalidate()} at the
   * start of a forward pass; the first use of each layout after that reorders the current weights once.
   */
  static final class Weights {
    private memory.desc forwardDesc;
    private memory forward;
    private final INDArray[] forwardStorage = new INDArray[1];
    private memory.desc backwardDesc;
    private memory backward;
    private final INDArray[] backwardStorage = new INDArray[1];
    private boolean forwardValid;
    private boolean backwardValid;

    void invalidate() {
      forwardValid = false;
      backwardValid = false;
    }

    /** The weights {@code w} in layout {@code wanted}; {@code user} is a plain OIHW memory bound to {@code w}. */
    memory get(memory.desc wanted, memory user, stream s, boolean forBackward) {
      if (wanted.equals(user.get_desc())) {
        return user;
      }
      if (forwardValid && wanted.equals(forwardDesc)) {
        return forward;
      }
      if (backwardValid && wanted.equals(backwardDesc)) {
        return backward;
      }
      if (forBackward) {
        if (backward == null || !wanted.equals(backwardDesc)) {
          backwardDesc = wanted;
          backward = buffer(wanted, backwardStorage);
        }
        new reorder(user, backward).execute(s, user, backward);
        backwardValid = true;
        return backward;
      }
      if (forward == null || !wanted.equals(forwardDesc)) {
        forwardDesc = wanted;
        forward = buffer(wanted, forwardStorage);
      }
      new reorder(user, forward).execute(s, user, forward);
      forwardValid = true;
      return forward;
    }
  }

  /** The CPU engine and a stream per thread; loads the native library on first use only. */
  private static final class Native {
    static final engine ENGINE = new engine(engine.kind.cpu, 0);
    static final ThreadLocal<stream> STREAM = ThreadLocal.withInitial(() -> new stream(ENGINE));
  }

  /** Primitives and persistent buffers of one {@link ConvShape}. */
  static final class Kernels {
    private final ConvShape shape;
    private final convolution_forward.primitive_desc forwardPd;
    private final convolution_forward forward;
    private final Operand fwdSrc;
    private final Operand fwdDst;
    private final memory fwdWeightsUser;
    private final memory fwdBias;
    private final IntMemoryMap fwdArgs = new IntMemoryMap();
    private Backward backward;
    /** Bytes of reorder buffers (forward, and backward once created). */
    private long bytes;

    private Kernels(ConvShape s) {
      this.shape = s;
      memory.desc bias = s.bias() ? plain(new long[] {s.outC()}, memory.format_tag.x) : new memory.desc();
      convolution_forward.desc d = new convolution_forward.desc(prop_kind.forward_training,
          algorithm.convolution_direct, any(s.src()), any(s.weights()), bias, any(s.dst()), s.strides(), s.padL(),
          s.padR());
      this.forwardPd = new convolution_forward.primitive_desc(d, Native.ENGINE);
      this.forward = new convolution_forward(forwardPd);
      this.fwdSrc = new Operand(plain(s.src(), memory.format_tag.nchw), forwardPd.src_desc());
      this.fwdDst = new Operand(plain(s.dst(), memory.format_tag.nchw), forwardPd.dst_desc());
      this.fwdWeightsUser = new memory(plain(s.weights(), memory.format_tag.oihw), Native.ENGINE, new Pointer());
      this.fwdBias = s.bias() ? new memory(bias, Native.ENGINE, new Pointer()) : null;
      fwdArgs.put(DNNL_ARG_SRC, fwdSrc.internal);
      fwdArgs.put(DNNL_ARG_DST, fwdDst.internal);
      this.bytes = fwdSrc.bytes() + fwdDst.bytes();
      if (fwdBias != null) {
        fwdArgs.put(DNNL_ARG_BIAS, fwdBias);
      }
    }

    ConvShape shape() {
      return shape;
    }

    /** Names of the oneDNN implementations in use, e.g. "fwd jit:avx512_common, ...". */
    synchronized String implementations() {
      Backward b = backward();
      return "fwd " + forwardPd.impl_info_str().getString() + ", bwd-data " + b.dataPd.impl_info_str().getString()
          + ", bwd-weights " + b.weightsPd.impl_info_str().getString();
    }

    /** z = conv(x, w) + b. x [n, inC, inH, inW], w [outC, inC, kH, kW], b [outC] or null, z [n, outC, outH, outW]. */
    synchronized void forward(INDArray x, INDArray w, INDArray b, INDArray z, Weights weights) {
      stream s = Native.STREAM.get();
      fwdSrc.load(x, s);
      fwdDst.bind(z);
      fwdWeightsUser.set_data_handle(pointer(w));
      weights.invalidate();
      fwdArgs.put(DNNL_ARG_WEIGHTS, weights.get(forwardPd.weights_desc(), fwdWeightsUser, s, false));
      if (fwdBias != null) {
        fwdBias.set_data_handle(pointer(b));
      }
      forward.execute(s, fwdArgs);
      fwdDst.store(s);
    }

    /**
     * Gradients for dL/dz {@code dz}: dL/dx into {@code dx} unless it is null, dL/dw into {@code dw} and dL/db into
     * {@code db} unless {@code dw} is null (then {@code db} is ignored).
     */
    synchronized void backward(INDArray x, INDArray w, INDArray dz, INDArray dx, INDArray dw, INDArray db,
        Weights weights) {
      stream s = Native.STREAM.get();
      Backward k = backward();
      if (dx != null) {
        k.dataDiffDst.load(dz, s);
        k.dataDiffSrc.bind(dx);
        k.weightsUser.set_data_handle(pointer(w));
        k.dataArgs.put(DNNL_ARG_WEIGHTS, weights.get(k.dataPd.weights_desc(), k.weightsUser, s, true));
        k.data.execute(s, k.dataArgs);
        k.dataDiffSrc.store(s);
      }
      if (dw != null) {
        if (dx == null || k.weightsDiffDst != k.dataDiffDst) {
          k.weightsDiffDst.load(dz, s);
        }
        k.weightsSrc.load(x, s);
        k.weightsDiff.bind(dw);
        if (k.diffBias != null) {
          k.diffBias.set_data_handle(pointer(db));
        }
        k.weightsPrim.execute(s, k.weightsArgs);
        k.weightsDiff.store(s);
      }
    }

    private Backward backward() {
      if (backward == null) {
        backward = new Backward(shape, forwardPd);
        long added = backward.bytes();
        bytes += added;
        account(added);
      }
      return backward;
    }
  }

  /** Backward-data and backward-weights primitives of one shape, created on the first backward pass. */
  private static final class Backward {
    final convolution_backward_data.primitive_desc dataPd;
    final convolution_backward_data data;
    final Operand dataDiffDst;
    final Operand dataDiffSrc;
    final memory weightsUser;
    final IntMemoryMap dataArgs = new IntMemoryMap();
    final convolution_backward_weights.primitive_desc weightsPd;
    final convolution_backward_weights weightsPrim;
    final Operand weightsSrc;
    final Operand weightsDiffDst;
    final Operand weightsDiff;
    final memory diffBias;
    final IntMemoryMap weightsArgs = new IntMemoryMap();

    long bytes() {
      return dataDiffDst.bytes() + dataDiffSrc.bytes() + weightsSrc.bytes() + weightsDiff.bytes()
          + (weightsDiffDst == dataDiffDst ? 0 : weightsDiffDst.bytes());
    }

    Backward(ConvShape s, convolution_forward.primitive_desc hint) {
      memory.desc plainSrc = plain(s.src(), memory.format_tag.nchw);
      memory.desc plainDst = plain(s.dst(), memory.format_tag.nchw);
      memory.desc plainWeights = plain(s.weights(), memory.format_tag.oihw);
      dataPd = new convolution_backward_data.primitive_desc(new convolution_backward_data.desc(
          algorithm.convolution_direct, any(s.src()), any(s.weights()), any(s.dst()), s.strides(), s.padL(),
          s.padR()), Native.ENGINE, hint);
      data = new convolution_backward_data(dataPd);
      dataDiffDst = new Operand(plainDst, dataPd.diff_dst_desc());
      dataDiffSrc = new Operand(plainSrc, dataPd.diff_src_desc());
      weightsUser = new memory(plainWeights, Native.ENGINE, new Pointer());
      dataArgs.put(DNNL_ARG_DIFF_DST, dataDiffDst.internal);
      dataArgs.put(DNNL_ARG_DIFF_SRC, dataDiffSrc.internal);

      memory.desc bias = s.bias() ? plain(new long[] {s.outC()}, memory.format_tag.x) : new memory.desc();
      weightsPd = new convolution_backward_weights.primitive_desc(new convolution_backward_weights.desc(
          algorithm.convolution_direct, any(s.src()), any(s.weights()), bias, any(s.dst()), s.strides(), s.padL(),
          s.padR()), Native.ENGINE, hint);
      weightsPrim = new convolution_backward_weights(weightsPd);
      weightsSrc = new Operand(plainSrc, weightsPd.src_desc());
      weightsDiffDst = weightsPd.diff_dst_desc().equals(dataPd.diff_dst_desc()) ? dataDiffDst
          : new Operand(plainDst, weightsPd.diff_dst_desc());
      weightsDiff = new Operand(plainWeights, weightsPd.diff_weights_desc());
      diffBias = s.bias() ? new memory(bias, Native.ENGINE, new Pointer()) : null;
      weightsArgs.put(DNNL_ARG_SRC, weightsSrc.internal);
      weightsArgs.put(DNNL_ARG_DIFF_DST, weightsDiffDst.internal);
      weightsArgs.put(DNNL_ARG_DIFF_WEIGHTS, weightsDiff.internal);
      if (diffBias != null) {
        weightsArgs.put(DNNL_ARG_DIFF_BIAS, diffBias);
      }
    }
  }
}
