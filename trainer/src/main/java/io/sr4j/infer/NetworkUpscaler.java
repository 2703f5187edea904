package io.sr4j.infer;

import io.sr4j.arch.Srcnn;
import io.sr4j.ckpt.ModelCard;
import io.sr4j.data.color.YCbCr;
import io.sr4j.data.image.Image;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeBorder;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.data.resize.SampleType;
import io.sr4j.nn.MemoryReclaim;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained generator as an {@link Upscaler}, fed the way its {@link ModelCard} says: Y-channel models get the
 * BT.601 Y plane (Cb and Cr are upscaled bicubically), RGB models the three planes (gray images are replicated to
 * RGB); pre-upsampling models (SRCNN) get the bicubic-upscaled image, edge-padded by what valid convolutions remove.
 * Alpha is upscaled bicubically on its own. The network itself is a {@link Forward}: a DL4J graph or an ONNX model.
 */
public final class NetworkUpscaler implements Upscaler {
  /** One forward pass of a network on a single NCHW float image. */
  @FunctionalInterface
  public interface Forward {
    /** {@code input} holds [1, channels, h, w] in C order; returns [1, C', H', W'] in C order with its shape. */
    Output apply(float[] input, int channels, int h, int w);
  }

  /** A network output: [1, channels, h, w] in C order. */
  public record Output(float[] data, int channels, int h, int w) {}

  private final Forward network;
  private final ModelCard card;
  private final String name;
  private final int shrinkPerSide;
  private final ResizeBorder border;

  public NetworkUpscaler(Forward network, ModelCard card, String name) {
    this(network, card, name, ResizeBorder.SYMMETRIC);
  }

  private NetworkUpscaler(Forward network, ModelCard card, String name, ResizeBorder border) {
    this.network = network;
    this.card = card;
    this.name = name;
    this.shrinkPerSide = card.typedOptions() instanceof Srcnn.Options o ? o.shrinkPerSide() : 0;
    this.border = border;
  }

  /** A DL4J graph, run in inference mode (sharing its parameters, which may go on changing between calls). */
  public NetworkUpscaler(ComputationGraph net, ModelCard card, String name) {
    this(dl4j(net), card, name);
  }

  /** The graph as a {@link Forward} that frees each activation once its readers have run ({@link io.sr4j.nn.Graphs#inferenceView}). */
  public static Forward dl4j(ComputationGraph net) {
    ComputationGraph inference = io.sr4j.nn.Graphs.inferenceView(net);
    return (input, c, h, w) -> {
      INDArray x = Nd4j.create(input, new long[] {1, c, h, w}, 'c');
      INDArray y = inference.output(false, x)[0].castTo(DataType.FLOAT).dup('c');
      return new Output(y.data().asFloat(), (int) y.size(1), (int) y.size(2), (int) y.size(3));
    };
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
  public NetworkUpscaler withResizeBorder(ResizeBorder newBorder) {
    return new NetworkUpscaler(network, card, name, newBorder);
  }

  @Override
  public Image upscale(Image lr) {
    int s = card.scale();
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
    return new Image(lr.width() * s, lr.height() * s, planes, alpha, lr.bitDepth());
  }

  private float[] bicubic(float[] plane, int w, int h) {
    return Imresize.resize(Image.of(w, h, plane), card.scale(), ResizeKernel.BICUBIC, SampleType.FLOAT, border)
        .plane(0);
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
    int pw = inW + 2 * p;
    int ph = inH + 2 * p;
    float[] x = new float[in.length * pw * ph];
    for (int c = 0; c < in.length; c++) {
      float[] padded = p == 0 ? in[c] : edgePadded(in[c], inW, inH, p);
      System.arraycopy(padded, 0, x, c * pw * ph, pw * ph);
    }
    Output y = network.apply(x, in.length, ph, pw);
    float[][] out = new float[y.channels()][y.h() * y.w()];
    for (int c = 0; c < out.length; c++) {
      System.arraycopy(y.data(), c * y.h() * y.w(), out[c], 0, y.h() * y.w());
    }
    MemoryReclaim.afterStep(); // the activations of this image (or tile) are off-heap arrays
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
