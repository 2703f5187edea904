package io.sr4j.ckpt.formats;

import static org.bytedeco.hdf5.global.hdf5.H5T_FLOAT;
import static org.bytedeco.hdf5.global.hdf5.H5T_STRING;

import io.sr4j.data.BadInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.hdf5.AbstractDs;
import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.DataType;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5Object;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

/**
 * Reads Keras 1/2 weights in HDF5, the layout of {@code model.save_weights("x.h5")} and of the released
 * {@code vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5}: the root attribute {@code layer_names} lists the
 * layers; each layer's group has an attribute {@code weight_names} listing its datasets, relative to the group
 * (Keras 1: {@code block1_conv1_W_1:0}; Keras 2: {@code block1_conv1/kernel:0}). Layers without weights (pooling)
 * list none. A full-model file ({@code model.save}) holds the same layout under the group {@code model_weights},
 * which is used when the root has no {@code layer_names}.
 *
 * <p>Tensors are keyed {@code <layer>/<weight name>}, in layer order, and keep the shapes as stored: TensorFlow
 * conv kernels are HWIO {@code [kh, kw, in, out]} (DL4J wants OIHW: {@code permute(3, 2, 0, 1)}), dense kernels
 * {@code [in, out]}. Floating-point datasets only (float16/32/64, read as float).
 *
 * <p>The file is opened through DL4J's {@link Hdf5Archive}; attributes and datasets are read with the bytedeco
 * HDF5 API under {@link Hdf5Archive#LOCK_OBJECT}, because Hdf5Archive reads neither string-array attributes
 * nor a dataset's stored type.
 */
public final class KerasH5Reader {
  private static final String LAYER_NAMES = "layer_names";
  private static final String WEIGHT_NAMES = "weight_names";
  private static final String FULL_MODEL_GROUP = "model_weights";

  private KerasH5Reader() {}

  /**
   * Reads every weight of every layer.
   *
   * @throws BadInputException if the file is missing, not HDF5, truncated, or not in the Keras weights layout
   */
  public static StateDict read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException("Keras weights file " + file + " does not exist");
    }
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      // Report HDF5 errors through the exceptions below instead of printing its error stack to stderr.
      org.bytedeco.hdf5.Exception.dontPrint();
      try (Hdf5Archive archive = new Hdf5Archive(file.toString())) {
        Group[] root = archive.openGroups("/");
        try {
          return readLayers(file, root[0]);
        } finally {
          archive.closeGroups(root);
        }
      } catch (BadInputException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new BadInputException(
            file + " is not a readable HDF5 file (truncated or corrupt?): " + e.getMessage(), e);
      }
    }
  }

  private static StateDict readLayers(Path file, Group root) {
    if (root.attrExists(LAYER_NAMES)) {
      return readLayers(file, root, "");
    }
    if (root.nameExists(FULL_MODEL_GROUP)) {
      try (Group weights = root.openGroup(FULL_MODEL_GROUP)) {
        if (weights.attrExists(LAYER_NAMES)) {
          return readLayers(file, weights, FULL_MODEL_GROUP + "/");
        }
      }
    }
    throw new BadInputException(file + " has no attribute '" + LAYER_NAMES + "' at its root or in group '"
        + FULL_MODEL_GROUP + "': expected Keras 1/2 weights (model.save_weights to .h5)");
  }

  /** @param path where {@code parent} is in the file, for messages ("" for the root) */
  private static StateDict readLayers(Path file, Group parent, String path) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (String layer : strings(file, parent, LAYER_NAMES, "/" + path)) {
      Group group;
      try {
        group = parent.openGroup(layer);
      } catch (RuntimeException e) {
        throw new BadInputException(file + ": attribute " + LAYER_NAMES + " lists layer '" + layer
            + "' but there is no group /" + path + layer + " (corrupt file?)", e);
      }
      try (group) {
        for (String weight : strings(file, group, WEIGHT_NAMES, "/" + path + layer)) {
          tensors.put(layer + "/" + weight, dataset(file, group, "/" + path + layer + "/", weight));
        }
      }
    }
    return new StateDict(file.toString(), tensors);
  }

  private static Tensor dataset(Path file, Group group, String groupPath, String name) {
    DataSet dataset;
    try {
      dataset = group.openDataSet(name);
    } catch (RuntimeException e) {
      throw new BadInputException(file + ": attribute " + WEIGHT_NAMES + " of " + groupPath + " lists '" + name
          + "' but there is no such dataset (corrupt file?)", e);
    }
    String where = file + ", dataset " + groupPath + name;
    AbstractDs typed = dataset.asAbstractDs(); // the type accessors; a view of the same dataset
    try (dataset; DataSpace space = dataset.getSpace(); DataType type = typed.getDataType()) {
      if (typed.getTypeClass() != H5T_FLOAT) {
        throw new BadInputException(where + ": expected floating-point weights, found HDF5 type class "
            + typed.getTypeClass());
      }
      String dtype = switch ((int) type.getSize()) {
        case 2 -> "float16";
        case 4 -> "float32";
        case 8 -> "float64";
        default -> throw new BadInputException(where + ": expected 2-, 4- or 8-byte floats, found "
            + type.getSize() + "-byte floats");
      };
      long[] shape = new long[space.getSimpleExtentNdims()];
      space.getSimpleExtentDims(shape);
      long count = space.getSimpleExtentNpoints();
      if (count > RawTensors.MAX_ARRAY_LENGTH) {
        throw new BadInputException(where + " has " + count + " elements; at most " + RawTensors.MAX_ARRAY_LENGTH
            + " fit in one tensor here");
      }
      // read into native memory, then into a float array: twice the declared size
      ModelLimits.checkAllocation(where, ModelLimits.bytes(count, 2 * Float.BYTES), "declares " + count + " elements");
      float[] data = new float[(int) count];
      try (FloatPointer buffer = new FloatPointer(count)) {
        // HDF5 converts the stored type to native float; elements come in C order as stored.
        dataset.read(buffer, PredType.NATIVE_FLOAT());
        buffer.get(data);
      }
      return new Tensor(null, shape, dtype, data, null);
    }
  }

  /**
   * An attribute holding fixed-length byte strings (what Keras writes via numpy), NUL padding removed. An
   * attribute with no elements (Keras writes an empty float array for layers without weights) is empty.
   */
  private static List<String> strings(Path file, H5Object owner, String name, String ownerPath) {
    String where = file + ", attribute " + name + " of " + ownerPath;
    if (!owner.attrExists(name)) {
      throw new BadInputException(file + ": " + ownerPath + " has no attribute " + name
          + "; expected the Keras weights layout (model.save_weights to .h5)");
    }
    try (Attribute attribute = owner.openAttribute(name); DataSpace space = attribute.getSpace()) {
      long count = space.getSimpleExtentNpoints();
      if (count == 0) {
        return List.of();
      }
      if (attribute.getTypeClass() != H5T_STRING) {
        throw new BadInputException(where + ": expected strings, found HDF5 type class " + attribute.getTypeClass());
      }
      try (StrType type = attribute.getStrType()) {
        if (type.isVariableStr()) {
          throw new BadInputException(where + ": expected fixed-length byte strings as Keras writes them, found "
              + "variable-length strings");
        }
        int size = (int) type.getSize();
        ModelLimits.checkAllocation(where, ModelLimits.bytes(count, 2L * size), "declares " + count + " strings of " + size + " bytes");
        byte[] raw = new byte[Math.toIntExact(count * size)];
        try (BytePointer buffer = new BytePointer(raw.length)) {
          // the Pointer overload is H5Aread into raw memory; the BytePointer one goes through a std::string and
          // stops at the first NUL, losing every name after a padded one
          attribute.read(type, (Pointer) buffer);
          buffer.get(raw);
        }
        List<String> strings = new ArrayList<>();
        for (int start = 0; start < raw.length; start += size) {
          int end = start;
          while (end < start + size && raw[end] != 0) {
            end++;
          }
          strings.add(new String(raw, start, end - start, StandardCharsets.UTF_8));
        }
        return strings;
      }
    }
  }
}
