package io.sr4j.infer;

import io.sr4j.arch.Srcnn;
import io.sr4j.ckpt.ModelCard;
import io.sr4j.data.color.YCbCr;
import io.sr4j.data.image.Image;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.data.resize.SampleType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained generator as an {@link Upscaler}, fed the way its {@link ModelCard} says: Y-channel models get the
 * BT.601 Y plane (Cb and Cr are upscaled bicubically), RGB models the three planes (gray images are replicated to
 * RGB); pre-upsampling models (SRCNN) get the bicubic-upscaled image. Alpha is upscaled bicubically on its own.
 */
public final class NetworkUpscaler implements Upscaler {
  private final ComputationGraph net;
  private final ModelCard card;
  private final String name;
  private final int shrinkPerSide;

  public NetworkUpscaler(ComputationGraph net, ModelCard card, String name) {
    this.net = net;
    this.card = card;
    this.name = name;
    this.shrinkPerSide = card.typedOptions() instanceof Srcnn.Options o ? o.shrinkPerSide() : 0;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int scale() {
    return card.scale();
  }

  @Override
  public boolean worksOnLuma() {
    return card.colour().equals("y");
  }

  public ModelCard card() {
    return card;
  }

  @Override
  public Image upscale(Image lr) {
    int s = card.scale();
    int outW = lr.width() * s;
    int outH = lr.height() * s;
    float[] alpha = lr.hasAlpha() ? bicubic(lr.alpha(), lr.width(), lr.height()) : null;
    float[][] planes;
    if (worksOnLuma()) {
      float[][] ycc = lr.isGray() ? new float[][] {lr.plane(0)} : YCbCr.toYCbCr(lr);
      float[] y = run(new float[][] {ycc[0]}, lr.width(), lr.height())[0];
      planes = lr.isGray() ? new float[][] {y}
          : YCbCr.toRgb(y, bicubic(ycc[1], lr.width(), lr.height()), bicubic(ycc[2], lr.width(), lr.height()));
    } else {
      planes = run(lr.toRgb().planes(), lr.width(), lr.height());
    }
    return new Image(outW, outH, planes, alpha, lr.bitDepth());
  }

  private float[] bicubic(float[] plane, int w, int h) {
    return Imresize.resize(Image.of(w, h, plane), card.scale(), ResizeKernel.BICUBIC, SampleType.FLOAT).plane(0);
  }

  /** Runs the network on LR planes ({@code w x h}); returns the SR planes. */
  private float[][] run(float[][] planes, int w, int h) {
    int inW = w;
    int inH = h;
    float[][] in = planes;
    if (card.preUpsampled()) {
      in = new float[planes.length][];
      for (int c = 0; c < planes.length; c++) {
        in[c] = bicubic(planes[c], w, h);
      }
      inW = w * card.scale();
      inH = h * card.scale();
    }
    int p = shrinkPerSide;
    INDArray x = Nd4j.create(DataType.FLOAT, 1, in.length, inH + 2L * p, inW + 2L * p);
    for (int c = 0; c < in.length; c++) {
      float[] padded = p == 0 ? in[c] : edgePadded(in[c], inW, inH, p);
      x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(c))
          .assign(Nd4j.createFromArray(padded).reshape(inH + 2L * p, inW + 2L * p));
    }
    INDArray y = net.output(false, x)[0];
    float[][] out = new float[(int) y.size(1)][];
    for (int c = 0; c < out.length; c++) {
      out[c] = y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(c))
          .dup('c').data().asFloat();
    }
    return out;
  }

  /** {@code plane} with {@code p} pixels of edge replication on every side. */
  static float[] edgePadded(float[] plane, int w, int h, int p) {
    int pw = w + 2 * p;
    float[] out = new float[pw * (h + 2 * p)];
    for (int y = 0; y < h + 2 * p; y++) {
      int sy = Math.min(Math.max(y - p, 0), h - 1);
      for (int x = 0; x < pw; x++) {
        int sx = Math.min(Math.max(x - p, 0), w - 1);
        out[y * pw + x] = plane[sy * w + sx];
      }
    }
    return out;
  }
}
