package io.sr4j.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Edge (replicate) padding of NCHW arrays and its adjoint, used by {@link FastConv2D.Padding#REPLICATE}.
 *
 * <p>Padding is done rows first (top/bottom copies of the first/last row, over the interior columns), then columns
 * over the full padded height, so corners receive the corner pixel. The adjoint undoes these steps in reverse order:
 * the padded columns are summed onto the edge columns, then the padded rows onto the edge rows, then the interior
 * is cropped.
 */
final class EdgePadding {

  private EdgePadding() {
  }

  /**
   * Writes {@code x} [N, C, H, W] edge-padded by {@code padH} rows and {@code padW} columns on each side into
   * {@code out} [N, C, H + 2*padH, W + 2*padW] and returns {@code out}.
   */
  static INDArray pad(INDArray x, int padH, int padW, INDArray out) {
    long h = x.size(2);
    long w = x.size(3);
    INDArrayIndex interiorCols = NDArrayIndex.interval(padW, padW + w);
    at(out, NDArrayIndex.interval(padH, padH + h), interiorCols).assign(x);
    for (int i = 0; i < padH; i++) {
      at(out, single(i), interiorCols).assign(at(x, single(0), NDArrayIndex.all()));
      at(out, single(padH + h + i), interiorCols).assign(at(x, single(h - 1), NDArrayIndex.all()));
    }
    for (int j = 0; j < padW; j++) {
      at(out, NDArrayIndex.all(), single(j)).assign(at(out, NDArrayIndex.all(), single(padW)));
      at(out, NDArrayIndex.all(), single(padW + w + j)).assign(at(out, NDArrayIndex.all(), single(padW + w - 1)));
    }
    return out;
  }

  /**
   * Adjoint of {@link #pad}: given dL/d(padded) [N, C, H + 2*padH, W + 2*padW], returns dL/dx [N, C, H, W] as a
   * view of {@code gradPadded}, which is modified in place.
   */
  static INDArray foldBack(INDArray gradPadded, int padH, int padW) {
    long h = gradPadded.size(2) - 2L * padH;
    long w = gradPadded.size(3) - 2L * padW;
    INDArray left = at(gradPadded, NDArrayIndex.all(), single(padW));
    INDArray right = at(gradPadded, NDArrayIndex.all(), single(padW + w - 1));
    for (int j = 0; j < padW; j++) {
      left.addi(at(gradPadded, NDArrayIndex.all(), single(j)));
      right.addi(at(gradPadded, NDArrayIndex.all(), single(padW + w + j)));
    }
    INDArrayIndex interiorCols = NDArrayIndex.interval(padW, padW + w);
    INDArray top = at(gradPadded, single(padH), interiorCols);
    INDArray bottom = at(gradPadded, single(padH + h - 1), interiorCols);
    for (int i = 0; i < padH; i++) {
      top.addi(at(gradPadded, single(i), interiorCols));
      bottom.addi(at(gradPadded, single(padH + h + i), interiorCols));
    }
    return at(gradPadded, NDArrayIndex.interval(padH, padH + h), interiorCols);
  }

  /** Single index {@code i} of a dimension, keeping the dimension (size 1). */
  private static INDArrayIndex single(long i) {
    return NDArrayIndex.interval(i, i + 1);
  }

  /** View {@code a[:, :, hIndex, wIndex]} of an NCHW array. */
  private static INDArray at(INDArray a, INDArrayIndex hIndex, INDArrayIndex wIndex) {
    return a.get(NDArrayIndex.all(), NDArrayIndex.all(), hIndex, wIndex);
  }
}
