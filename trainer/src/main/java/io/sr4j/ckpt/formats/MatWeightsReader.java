package io.sr4j.ckpt.formats;

import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import us.hebi.matlab.mat.format.BufferAllocator;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Source;
import us.hebi.matlab.mat.types.Sources;

/**
 * Reads the numeric variables of a MATLAB v5 MAT-file (what {@code save} writes by default up to {@code -v7},
 * and scipy's {@code savemat}), such as the original SRCNN weights.
 *
 * <p>Each numeric matrix becomes a {@link Tensor} named after its variable, with MATLAB's shape (at least two
 * dimensions: a column vector is {@code [n, 1]}). MATLAB stores elements column-major (first index fastest);
 * the tensor holds them in C order (last index fastest), so {@code tensor.get(i, j)} is MATLAB's
 * {@code w(i+1, j+1)} and a 2x3 matrix {@code [1 2 3; 4 5 6]} reads as {@code 1 2 3 4 5 6}.
 *
 * <p>dtype: double is float64, single is float32, logical is bool, integer classes keep their names
 * (int8 ... uint64; uint64 values above 2^63 do not fit the long copy). Sparse matrices are read densely.
 * Variables that are not numeric (char, struct, cell, objects) are skipped; complex values are refused.
 * v7.3 files (HDF5 inside) are not read.
 */
public final class MatWeightsReader {
  private MatWeightsReader() {}

  /**
   * Reads every numeric variable, in file order.
   *
   * @throws BadInputException if the file is missing, truncated, not MAT v5, or holds complex values
   */
  public static StateDict read(Path file) {
    refuseV73(file);
    try (Mat5File mat = open(file)) {
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (MatFile.Entry entry : mat.getEntries()) {
        if (entry.getValue() instanceof Matrix matrix) {
          tensors.put(entry.getName(), tensor(file, entry.getName(), matrix));
        }
      }
      return new StateDict(file.toString(), tensors);
    } catch (IOException e) {
      throw new BadInputException("cannot read MAT file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Mat5File open(Path file) {
    try (Source source = Sources.openFile(file.toFile())) {
      return Mat5.newReader(source).setBufferAllocator(new BoundedAllocator(file.toString())).readMat();
    } catch (IOException | RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        if (root instanceof BadInputException refused) {
          throw refused; // the allocation limit, reached inside MFL
        }
        root = root.getCause();
      }
      if (root instanceof BadInputException refused) {
        throw refused;
      }
      throw new BadInputException(file + " is not a readable MAT v5 file (truncated or corrupt?): "
          + (root.getMessage() == null ? "unexpected data" : root.getMessage()), e);
    }
  }

  /**
   * Allocates the buffers MFL reads variables into (their sizes come from the file, after decompression for
   * compressed variables), refusing once they add up to more than {@link ModelLimits#maxEntryBytes()}.
   */
  private static final class BoundedAllocator implements BufferAllocator {
    private final String file;
    private long allocated;

    BoundedAllocator(String file) {
      this.file = file;
    }

    @Override
    public ByteBuffer allocate(int bytes) {
      allocated += bytes;
      ModelLimits.checkAllocation(file, allocated, "declares variables of " + allocated + " bytes");
      return ByteBuffer.allocate(bytes);
    }

    @Override
    public void release(ByteBuffer buffer) {
      allocated -= buffer.capacity();
    }
  }

  private static Tensor tensor(Path file, String name, Matrix matrix) {
    if (matrix.isComplex()) {
      throw new BadInputException(file + ", variable '" + name + "': expected real values, found a complex "
          + matrix.getType() + " matrix");
    }
    String dtype = dtype(matrix);
    long[] shape = Arrays.stream(matrix.getDimensions()).asLongStream().toArray();
    // Column-major strides: element (i0, i1, ...) is at linear index i0 + d0*i1 + d0*d1*i2 + ...
    long[] strides = new long[shape.length];
    long step = 1;
    for (int d = 0; d < shape.length; d++) {
      strides[d] = step;
      step *= shape[d];
    }
    int count = matrix.getNumElements();
    ModelLimits.checkAllocation(file + ", variable '" + name + "'", (long) count * (Float.BYTES + Long.BYTES),
        "has " + count + " elements");
    float[] data = new float[count];
    boolean integer = !dtype.startsWith("float");
    long[] integers = integer ? new long[count] : null;
    try {
      RawTensors.walk(shape, strides, 0, count, (position, element) -> {
        if (integers != null) {
          integers[position] = matrix.getLong((int) element);
          data[position] = integers[position];
        } else {
          data[position] = (float) matrix.getDouble((int) element);
        }
      });
    } catch (IndexOutOfBoundsException e) {
      throw new BadInputException(file + ", variable '" + name + "': its data is shorter than its dimensions "
          + Arrays.toString(shape) + " say (corrupt file?)", e);
    }
    return new Tensor(null, shape, dtype, data, integers);
  }

  private static String dtype(Matrix matrix) {
    if (matrix.isLogical()) {
      return "bool";
    }
    return switch (matrix.getType()) {
      case Double, Sparse -> "float64";
      case Single -> "float32";
      default -> matrix.getType().toString(); // MATLAB's class name: int8, uint8, ..., uint64
    };
  }

  /** v7.3 MAT-files are HDF5 files behind a MAT header; mfl-core reads v5 only. */
  private static void refuseV73(Path file) {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(20);
    } catch (IOException e) {
      throw new BadInputException("cannot read MAT file " + file + ": " + e, e);
    }
    if (new String(head, StandardCharsets.ISO_8859_1).startsWith("MATLAB 7.3 MAT-file")) {
      throw new BadInputException(file + " is a MAT v7.3 (HDF5) file; expected MAT v5: re-save it in MATLAB "
          + "with save(..., '-v7')");
    }
  }
}
