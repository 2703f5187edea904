package io.sr4j.nn;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.buffer.factory.DataBufferFactory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float and double arrays on the CPU backend without libnd4j's clearing of every new buffer. ND4J M2.1 zeroes each
 * buffer it allocates, {@code Nd4j.createUninitialized} included, and {@code Nd4j.create} zeroes it a second time:
 * a 4 MB array costs ~200 us uninitialized and ~1 ms zeroed, against ~13 us for the same memory from the C++ heap
 * without clearing (measured on the 2-core development machine). A training step allocates every activation and
 * gradient afresh (the graphs run without workspaces): the ESRGAN GAN step took 2.99 s with the clearing and 2.74 s
 * without (medians of three interleaved rounds).
 *
 * <p>{@link #install()} puts a factory in front of ND4J's data buffer factory that allocates the float and double
 * buffers of arrays created outside workspaces through JavaCPP ({@code new FloatPointer(n)}: the C++ heap, not
 * cleared; cleared once with {@code memset} where ND4J asked for zeros) and wraps them in ND4J's buffers; every other
 * request goes to ND4J's factory. ND4J has no setter for its factory, so the field is set by reflection. The memory
 * is freed when the array's buffer becomes unreachable (the same garbage collection that frees ND4J's own buffers),
 * or at once by {@link #release(INDArray)}: ND4J's {@code close()} only drops its reference to such a buffer.
 * Other backends (CUDA) keep ND4J's factory.
 */
public final class HostBuffers {
  private static final String CPU_BACKEND = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";

  private HostBuffers() {}

  /** Installs the factory once per JVM (CPU backend only); later calls do nothing. */
  public static synchronized void install() {
    DataBufferFactory nd4j = Nd4j.getDataBufferFactory();
    if (Proxy.isProxyClass(nd4j.getClass()) || !Nd4j.getBackend().getClass().getName().equals(CPU_BACKEND)) {
      return;
    }
    InvocationHandler handler = (proxy, method, args) -> {
      DataBuffer own = hostBuffer(nd4j, method, args);
      if (own != null) {
        return own;
      }
      try {
        return method.invoke(nd4j, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    Object factory = Proxy.newProxyInstance(DataBufferFactory.class.getClassLoader(),
        new Class<?>[] {DataBufferFactory.class}, handler);
    try {
      Field field = Nd4j.class.getDeclaredField("DATA_BUFFER_FACTORY_INSTANCE");
      field.setAccessible(true);
      field.set(null, factory);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot replace ND4J's data buffer factory (ND4J version other than M2.1?)", e);
    }
  }

  /** Whether {@link #install()} took effect in this JVM. */
  static boolean installed() {
    return Proxy.isProxyClass(Nd4j.getDataBufferFactory().getClass());
  }

  /**
   * Closes {@code array} (when it is closeable: not a view, not in a workspace) and frees its memory now, also when
   * it came from this factory.
   */
  public static void release(INDArray array) {
    if (!array.closeable()) {
      return;
    }
    Pointer memory = array.data().pointer();
    array.close();
    memory.deallocate(); // does nothing for ND4J's own buffers (freed by close()), frees a JavaCPP allocation
  }

  /**
   * A JavaCPP-allocated buffer for {@code create(DataType, long, boolean)} and {@code createSame(DataBuffer, boolean)}
   * of float or double, which ND4J calls for arrays outside workspaces, wrapped by ND4J's factory {@code nd4j}; null
   * for anything else.
   */
  private static DataBuffer hostBuffer(DataBufferFactory nd4j, Method method, Object[] args) {
    DataType type;
    long length;
    boolean zeroed;
    if (method.getName().equals("create") && args != null && args.length == 3 && args[0] instanceof DataType t
        && args[1] instanceof Long n && args[2] instanceof Boolean z) {
      type = t;
      length = n;
      zeroed = z;
    } else if (method.getName().equals("createSame") && args != null && args.length == 2
        && args[0] instanceof DataBuffer like && args[1] instanceof Boolean z) {
      type = like.dataType();
      length = like.length();
      zeroed = z;
    } else {
      return null;
    }
    if (length < 1 || (type != DataType.FLOAT && type != DataType.DOUBLE)) {
      return null;
    }
    Pointer memory = type == DataType.FLOAT ? new FloatPointer(length) : new DoublePointer(length);
    if (zeroed) {
      Pointer.memset(memory, 0, length * type.width());
    }
    return nd4j.create(memory, type, length, type == DataType.FLOAT
        ? FloatIndexer.create((FloatPointer) memory) : DoubleIndexer.create((DoublePointer) memory));
  }
}
