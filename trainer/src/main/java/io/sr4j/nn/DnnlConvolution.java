package io.sr4j.nn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
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
 * oneDNN prefers for it (blocked channels, {@code nChw16c} and the like, on AVX-512). Callers hand over OIHW
 * weights and NCHW activations, or activations already in {@code nChw16c} ({@link ConvShape#blockedSrc},
 * {@link ConvShape#blockedDst}: no reorder where that is the primitive's layout); a (leaky) ReLU after the
 * convolution can run inside the forward primitive (a post-op on the blocked output, before it is reordered), its
 * backward then being one elementwise primitive on the layer's output.
 * Each primitive argument whose preferred layout differs is reordered into, or out of, a buffer of the calling thread
 * that is reused by every call and every shape, and only grows (a new buffer of a few MB per call costs more in page
 * faults than the reorder itself): six buffers per thread, each the size of the largest activation it has held.
 * Reordered weights live in a {@link Weights} cache per layer, refreshed by every forward pass (kept across passes
 * when the weights are constant) and reused by its backward pass. The same shape always runs the same kernels, so
 * results are bitwise reproducible on a given machine and thread count.
 *
 * <p>Calls on one {@link Kernels} are serialised; different shapes run concurrently. The buffers are ND4J arrays
 * (counted by ND4J's off-heap limits); the cache keeps the primitives of at most {@link #maxShapes} shapes (least
 * recently used dropped), so inference on images of many sizes stays bounded.
 */
final class DnnlConvolution {

  /** Most shapes whose primitives are kept (package-private for tests). */
  static volatile int maxShapes = 256;

  /** Kernels by shape, least recently used first; guarded by the class lock. */
  private static final PrimitiveCache<ConvShape, Kernels> KERNELS = new PrimitiveCache<>(() -> maxShapes,
      Kernels::new);

  /**
   * System property choosing the convolution kernels of {@link FastConv2D}: {@code auto} (default: these oneDNN
   * primitives for float networks on the CPU backend, libnd4j's {@code conv2d}/{@code conv2d_bp} otherwise, e.g.
   * cuDNN on CUDA and double precision), or {@code libnd4j} (always libnd4j's ops). It also chooses between oneDNN
   * ({@link DnnlBatchNorm}, {@link DnnlRelu}) and libnd4j for BatchNorm and the ReLU activation vertices.
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

  /** Channels per block of the blocked activation layout {@code nChw16c} ({@link ConvShape#blockedSrc}). */
  static final int CHANNEL_BLOCK = 16;

  /**
   * A convolution shape: input [n, inC, inH, inW] (after any edge padding), weights [outC, inC, kH, kW], output
   * [n, outC, outH, outW], zero padding (padH, padW) on each side; {@code reluSlope}: the negative-side slope of a
   * (leaky) ReLU fused into the forward pass ({@code out = z > 0 ? z : reluSlope * z}), NaN for none.
   * {@code blockedSrc} / {@code blockedDst}: the input (and its gradient) / the output (and its gradient) are held
   * in the blocked layout {@code nChw16c} instead of NCHW (see {@link BlockedLayouts}): an array of shape
   * [N, C, H, W] holds element (n, c, y, x) at offset {@code (((n * C/16 + c/16) * H + y) * W + x) * 16 + c % 16}.
   */
  record ConvShape(long n, long inC, long inH, long inW, long outC, long outH, long outW, int kH, int kW,
      int strideH, int strideW, int padH, int padW, boolean bias, double reluSlope, boolean blockedSrc,
      boolean blockedDst) {

    ConvShape {
      if (blockedSrc && inC % CHANNEL_BLOCK != 0 || blockedDst && outC % CHANNEL_BLOCK != 0) {
        throw new IllegalArgumentException("blocked layouts need channel counts divisible by " + CHANNEL_BLOCK
            + ", got inC " + inC + (blockedSrc ? " (blocked)" : "") + ", outC " + outC
            + (blockedDst ? " (blocked)" : ""));
      }
    }

    boolean fusedRelu() {
      return !Double.isNaN(reluSlope);
    }

    /** The layout the caller's input (and input gradient) arrays are in. */
    memory.desc userSrc() {
      return plain(src(), blockedSrc ? memory.format_tag.nChw16c : memory.format_tag.nchw);
    }

    /** The layout the caller's output (and output gradient) arrays are in. */
    memory.desc userDst() {
      return plain(dst(), blockedDst ? memory.format_tag.nChw16c : memory.format_tag.nchw);
    }

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

  /** The cached primitives of {@code shape}. */
  static Kernels kernels(ConvShape shape) {
    return KERNELS.get(shape);
  }

  /** Number of shapes in the cache. */
  static int cachedShapes() {
    return KERNELS.size();
  }

  /** What a reorder buffer holds; buffers of different roles are in use at the same time. */
  private enum Role { SRC, DST, DIFF_DST, DIFF_DST_FOR_WEIGHTS, DIFF_SRC, DIFF_WEIGHTS }

  /** Reorder buffers of one thread, one per {@link Role}, grown on demand, 64-byte aligned. */
  private static final class Buffers {
    private final INDArray[] arrays = new INDArray[Role.values().length];

    /** Address of at least {@code bytes} bytes of the {@code role} buffer. */
    Pointer get(Role role, long bytes) {
      INDArray a = arrays[role.ordinal()];
      if (a == null || a.length() < bytes + ALIGNMENT) {
        arrays[role.ordinal()] = null; // the old buffer returns with the next garbage collection
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
          a = Nd4j.createUninitialized(DataType.BYTE, bytes + ALIGNMENT);
        }
        arrays[role.ordinal()] = a;
      }
      long address = a.data().addressPointer().address();
      return new PagedPointer((address + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
    }

    /** Bytes held. */
    long bytes() {
      long sum = 0;
      for (INDArray a : arrays) {
        sum += a == null ? 0 : a.length();
      }
      return sum;
    }
  }

  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  /** Bytes of the calling thread's reorder buffers. */
  static long bufferBytes() {
    return BUFFERS.get().bytes();
  }

  private static final int ALIGNMENT = 64;

  /** A memory of {@code desc} on a 64-byte aligned ND4J array of its own, kept in {@code owner[0]}. */
  private static memory ownBuffer(memory.desc desc, INDArray[] owner) {
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      owner[0] = Nd4j.createUninitialized(DataType.BYTE, desc.get_size() + ALIGNMENT);
    }
    long address = owner[0].data().addressPointer().address();
    return new memory(desc, Native.ENGINE, new PagedPointer((address + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT));
  }

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

  /** {@code a} itself if it is dense row-major, else a c-order copy. */
  static INDArray dense(INDArray a) {
    return isDenseRowMajor(a) ? a : a.dup('c');
  }

  /** Address of the first element of {@code a} (float, dense row-major) as a JavaCPP pointer. */
  static Pointer pointer(INDArray a) {
    if (!isDenseRowMajor(a)) {
      throw new IllegalArgumentException("oneDNN convolution needs dense row-major arrays, got shape "
          + java.util.Arrays.toString(a.shape()) + " strides " + java.util.Arrays.toString(a.stride()));
    }
    return new PagedPointer(a.data().addressPointer().address());
  }

  static memory.desc plain(long[] dims, memory.format_tag tag) {
    return new memory.desc(dims, memory.data_type.f32, tag);
  }

  private static memory.desc any(long[] dims) {
    return new memory.desc(dims, memory.data_type.f32, memory.format_tag.any);
  }

  /**
   * One tensor argument of a primitive: the caller's array in its layout (NCHW, OIHW or nChw16c) and, when the
   * primitive prefers another layout, a persistent buffer in that layout with the reorders between the two.
   */
  private static final class Operand {
    final memory user;
    final memory internal;
    private final Role role;
    private final reorder toInternal;
    private final reorder toUser;

    Operand(memory.desc plainDesc, memory.desc wanted, Role role) {
      this.user = new memory(plainDesc, Native.ENGINE, new Pointer());
      this.role = role;
      if (wanted.equals(plainDesc)) {
        this.internal = user;
        this.toInternal = null;
        this.toUser = null;
      } else {
        this.internal = new memory(wanted, Native.ENGINE, new Pointer());
        this.toInternal = new reorder(user, internal);
        this.toUser = new reorder(internal, user);
      }
    }

    /** Binds {@code a} and copies it into the primitive's layout. */
    void load(INDArray a, stream s) {
      bind(a);
      if (toInternal != null) {
        toInternal.execute(s, user, internal);
      }
    }

    /** Binds {@code a} (and this thread's buffer, if reordered) as the destination of a later {@link #store}. */
    void bind(INDArray a) {
      user.set_data_handle(pointer(a));
      if (toInternal != null) {
        internal.set_data_handle(BUFFERS.get().get(role, internal.get_desc().get_size()));
      }
    }

    /** Copies the primitive's result into the bound array. */
    void store(stream s) {
      if (toUser != null) {
        toUser.execute(s, internal, user);
      }
    }
  }

  /**
   * Reordered copies of one layer's weights, in the layouts its primitives want. {@link #newForwardPass} at the
   * start of each forward pass drops them, unless the weights are {@link #setConstant constant} and still at the same
   * address; the first use of each layout after that reorders the current weights once (with a reorder primitive
   * created once per layout).
   */
  static final class Weights {
    private memory.desc forwardDesc;
    private memory forward;
    private reorder toForward;
    private final INDArray[] forwardStorage = new INDArray[1];
    private memory.desc backwardDesc;
    private memory backward;
    private reorder toBackward;
    private final INDArray[] backwardStorage = new INDArray[1];
    private boolean forwardValid;
    private boolean backwardValid;
    private boolean constant;
    private long address;
    private long reorders;

    /**
     * Nothing writes these weights in place any more (a frozen feature network): the reordered copies are kept across
     * passes for as long as the weights stay at the same address.
     */
    void setConstant() {
      this.constant = true;
      invalidate();
    }

    /** Called by each forward pass with the address of the weights it reads. */
    void newForwardPass(long weightsAddress) {
      if (!constant || weightsAddress != address) {
        invalidate();
      }
      address = weightsAddress;
    }

    /** Drops the reordered copies (new weights were set). */
    void invalidate() {
      forwardValid = false;
      backwardValid = false;
    }

    /** Reorders run so far (for tests). */
    long reorders() {
      return reorders;
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
      reorders++;
      if (forBackward) {
        if (backward == null || !wanted.equals(backwardDesc)) {
          backwardDesc = wanted;
          backward = ownBuffer(wanted, backwardStorage);
          toBackward = new reorder(user, backward);
        }
        toBackward.execute(s, user, backward);
        backwardValid = true;
        return backward;
      }
      if (forward == null || !wanted.equals(forwardDesc)) {
        forwardDesc = wanted;
        forward = ownBuffer(wanted, forwardStorage);
        toForward = new reorder(user, forward);
      }
      toForward.execute(s, user, forward);
      forwardValid = true;
      return forward;
    }
  }

  /** The CPU engine and a stream per thread; loads the native library on first use only. */
  static final class Native {
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

    private Kernels(ConvShape s) {
      this.shape = s;
      memory.desc bias = s.bias() ? plain(new long[] {s.outC()}, memory.format_tag.x) : new memory.desc();
      convolution_forward.desc d = new convolution_forward.desc(prop_kind.forward_training,
          algorithm.convolution_direct, any(s.src()), any(s.weights()), bias, any(s.dst()), s.strides(), s.padL(),
          s.padR());
      primitive_attr attributes = new primitive_attr();
      if (s.fusedRelu()) {
        post_ops relu = new post_ops();
        relu.append_eltwise(1f, algorithm.eltwise_relu, (float) s.reluSlope(), 0f);
        attributes.set_post_ops(relu);
      }
      this.forwardPd = new convolution_forward.primitive_desc(d, attributes, Native.ENGINE);
      this.forward = new convolution_forward(forwardPd);
      this.fwdSrc = new Operand(s.userSrc(), forwardPd.src_desc(), Role.SRC);
      this.fwdDst = new Operand(s.userDst(), forwardPd.dst_desc(), Role.DST);
      this.fwdWeightsUser = new memory(plain(s.weights(), memory.format_tag.oihw), Native.ENGINE, new Pointer());
      this.fwdBias = s.bias() ? new memory(bias, Native.ENGINE, new Pointer()) : null;
      fwdArgs.put(DNNL_ARG_SRC, fwdSrc.internal);
      fwdArgs.put(DNNL_ARG_DST, fwdDst.internal);
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

    /**
     * z = conv(x, w) + b, then the fused (leaky) ReLU if the shape has one. x [n, inC, inH, inW], w [outC, inC, kH,
     * kW], b [outC] or null, z [n, outC, outH, outW].
     */
    synchronized void forward(INDArray x, INDArray w, INDArray b, INDArray z, Weights weights) {
      stream s = Native.STREAM.get();
      fwdSrc.load(x, s);
      fwdDst.bind(z);
      Pointer wPointer = pointer(w);
      fwdWeightsUser.set_data_handle(wPointer);
      weights.newForwardPass(wPointer.address());
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

    /**
     * dL/dz of the fused (leaky) ReLU into {@code dz}: {@code dOut * (out > 0 ? 1 : reluSlope)}, from the forward
     * output {@code out} (its sign is z's). All three [n, outC, outH, outW], dense row-major.
     */
    synchronized void reluBackward(INDArray dOut, INDArray out, INDArray dz) {
      if (!shape.fusedRelu()) {
        throw new IllegalStateException("no ReLU is fused into " + shape);
      }
      DnnlRelu.backwardFromOutput(shape.reluSlope(), dOut, out, dz);
    }

    private Backward backward() {
      if (backward == null) {
        backward = new Backward(shape, forwardPd);
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

    Backward(ConvShape s, convolution_forward.primitive_desc hint) {
      memory.desc userSrc = s.userSrc();
      memory.desc userDst = s.userDst();
      memory.desc plainWeights = plain(s.weights(), memory.format_tag.oihw);
      dataPd = new convolution_backward_data.primitive_desc(new convolution_backward_data.desc(
          algorithm.convolution_direct, any(s.src()), any(s.weights()), any(s.dst()), s.strides(), s.padL(),
          s.padR()), Native.ENGINE, hint);
      data = new convolution_backward_data(dataPd);
      dataDiffDst = new Operand(userDst, dataPd.diff_dst_desc(), Role.DIFF_DST);
      dataDiffSrc = new Operand(userSrc, dataPd.diff_src_desc(), Role.DIFF_SRC);
      weightsUser = new memory(plainWeights, Native.ENGINE, new Pointer());
      dataArgs.put(DNNL_ARG_DIFF_DST, dataDiffDst.internal);
      dataArgs.put(DNNL_ARG_DIFF_SRC, dataDiffSrc.internal);

      memory.desc bias = s.bias() ? plain(new long[] {s.outC()}, memory.format_tag.x) : new memory.desc();
      weightsPd = new convolution_backward_weights.primitive_desc(new convolution_backward_weights.desc(
          algorithm.convolution_direct, any(s.src()), any(s.weights()), bias, any(s.dst()), s.strides(), s.padL(),
          s.padR()), Native.ENGINE, hint);
      weightsPrim = new convolution_backward_weights(weightsPd);
      weightsSrc = new Operand(userSrc, weightsPd.src_desc(), Role.SRC);
      weightsDiffDst = weightsPd.diff_dst_desc().equals(dataPd.diff_dst_desc()) ? dataDiffDst
          : new Operand(userDst, weightsPd.diff_dst_desc(), Role.DIFF_DST_FOR_WEIGHTS);
      weightsDiff = new Operand(plainWeights, weightsPd.diff_weights_desc(), Role.DIFF_WEIGHTS);
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
