package io.sr4j.data.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.BadInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class NpyTest {

  /** A .npy file built byte by byte: magic, version, header length, padded header dict, raw little-endian data. */
  private static byte[] npy(int major, String dict, double... data) {
    int prefix = major == 1 ? 10 : 12;
    StringBuilder header = new StringBuilder(dict);
    while ((prefix + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(prefix + h.length + 8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
    if (major == 1) {
      b.putShort((short) h.length);
    } else {
      b.putInt(h.length);
    }
    b.put(h);
    for (double v : data) {
      b.putDouble(v);
    }
    return b.array();
  }

  @Test
  void readsVersion1RowMajorFloat64() {
    byte[] bytes = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", 1, 2, 3, 4, 5, 6);
    Npy.Array a = Npy.readNpy(bytes, "a.npy");
    assertArrayEquals(new int[] {2, 3}, a.shape());
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, a.values());
    double[][] m = a.matrix("a");
    assertArrayEquals(new double[] {4, 5, 6}, m[1]);
  }

  @Test
  void reordersFortranOrderToRowMajor() {
    // The 2x3 matrix [[1 2 3] [4 5 6]] stored column by column.
    byte[] bytes = npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", 1, 4, 2, 5, 3, 6);
    Npy.Array a = Npy.readNpy(bytes, "f.npy");
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, a.values());

    // Rank 3, shape (2, 2, 2): Fortran offset of (i, j, k) is i + 2j + 4k; value 100i + 10j + k.
    double[] stored = new double[8];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        for (int k = 0; k < 2; k++) {
          stored[i + 2 * j + 4 * k] = 100 * i + 10 * j + k;
        }
      }
    }
    Npy.Array cube = Npy.readNpy(npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2, 2), }", stored), "c");
    assertArrayEquals(new double[] {0, 1, 10, 11, 100, 101, 110, 111}, cube.values());
  }

  @Test
  void readsVersion2HeaderAndOneDimensionalShape() {
    byte[] bytes = npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", -1.5, 0.25, 1e300);
    Npy.Array a = Npy.readNpy(bytes, "v2.npy");
    assertArrayEquals(new int[] {3}, a.shape());
    assertArrayEquals(new double[] {-1.5, 0.25, 1e300}, a.values());
  }

  @Test
  void rejectsOtherDtypesVersionsAndTruncatedData() {
    BadInputException f4 = assertThrows(BadInputException.class, () -> Npy.readNpy(
        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 0), "w.npy"));
    assertTrue(f4.getMessage().contains("w.npy") && f4.getMessage().contains("'<f4'")
        && f4.getMessage().contains("'<f8'"), f4.getMessage());

    BadInputException bigEndian = assertThrows(BadInputException.class, () -> Npy.readNpy(
        npy(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", 0), "be.npy"));
    assertTrue(bigEndian.getMessage().contains("'>f8'"), bigEndian.getMessage());

    byte[] v3 = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 0);
    v3[6] = 3;
    BadInputException version = assertThrows(BadInputException.class, () -> Npy.readNpy(v3, "v3.npy"));
    assertTrue(version.getMessage().contains("3.0") && version.getMessage().contains("1.0 or 2.0"),
        version.getMessage());

    BadInputException truncated = assertThrows(BadInputException.class, () -> Npy.readNpy(
        npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", 1, 2, 3), "t.npy"));
    assertTrue(truncated.getMessage().contains("t.npy") && truncated.getMessage().contains("32 bytes"),
        truncated.getMessage());

    BadInputException magic = assertThrows(BadInputException.class,
        () -> Npy.readNpy("PK\u0003\u0004 not npy".getBytes(StandardCharsets.ISO_8859_1), "z.npy"));
    assertTrue(magic.getMessage().contains("z.npy") && magic.getMessage().contains("magic"), magic.getMessage());
  }

  @Test
  void readsDeflatedNpzEntriesByName() throws IOException {
    ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
      zip.putNextEntry(new ZipEntry("first.npy"));
      zip.write(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 7));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("second.npy"));
      zip.write(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", 8, 9));
      zip.closeEntry();
    }
    Map<String, Npy.Array> arrays = Npy.readNpz(new ByteArrayInputStream(zipBytes.toByteArray()), "p.npz");
    assertEquals(List.of("first", "second"), List.copyOf(arrays.keySet()));
    assertArrayEquals(new double[] {7}, arrays.get("first").values());
    assertArrayEquals(new double[] {8, 9}, arrays.get("second").values());
  }

  @Test
  void bundledPristineParametersAreTheDocumentedFile() throws IOException, NoSuchAlgorithmException {
    byte[] bytes;
    try (InputStream in = Npy.class.getResourceAsStream("niqe_pris_params.npz")) {
      bytes = in.readAllBytes();
    }
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertEquals("2a7c182a68c9e7f1b2e2e5ec723279d6f65d912b6fcaf37eb2bf03d7367c4296", sha256);

    Map<String, Npy.Array> p = Npy.readNpz(new ByteArrayInputStream(bytes), "niqe_pris_params.npz");
    assertArrayEquals(new int[] {1, 36}, p.get("mu_pris_param").shape());
    assertArrayEquals(new int[] {36, 36}, p.get("cov_pris_param").shape());
    assertArrayEquals(new int[] {7, 7}, p.get("gaussian_window").shape());
    // Reference values printed by numpy 2.4 (np.load(...)[key][index]) from the same file.
    assertEquals(2.6013136801541448, p.get("mu_pris_param").values()[0], 0);
    assertEquals(0.11739635539001349, p.get("gaussian_window").values()[3 * 7 + 3], 0);
  }
}
