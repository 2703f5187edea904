package io.sr4j.loss;

import io.sr4j.nn.MemoryReclaim;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link ContextualCore} as a SameDiff graph: the forward computation written with ND4J's autodiff ops, the gradient
 * from reverse mode (through the norms, the matrix product, the row minimum, exp, the row sums, the column maximum
 * and the log). One graph per data type and shape ([N, C]), built on first use and reused. The forward pass is the
 * same as {@link ContextualAnalytic}'s; {@code sr bench loss --terms cobi} compares the two routes' speed.
 */
final class ContextualAutodiff implements ContextualCore {
  private static final String PRED = "prediction";
  private static final String TARGET = "target";
  private static final String MEAN = "mean";
  private static final String LOSS = "loss";

  private final Params p;
  private final Map<String, SameDiff> graphs = new HashMap<>();

  ContextualAutodiff(Params p) {
    this.p = p;
  }

  @Override
  public Result compute(INDArray prediction, INDArray target, INDArray mean) {
    DataType type = prediction.dataType();
    long[] shape = prediction.shape();
    SameDiff sd = graphs.computeIfAbsent(type + Arrays.toString(shape), k -> define(type, shape));
    sd.getVariable(PRED).setArray(prediction);
    Map<String, INDArray> feed = new HashMap<>();
    feed.put(TARGET, target.castTo(type));
    if (p.distance() == Distance.COSINE) {
      feed.put(MEAN, mean.castTo(type));
    }
    OutAndGrad r = SameDiffExecution.outputsAndGradients(sd, feed, List.of(LOSS), List.of(PRED));
    Result result = new Result(r.getOutputs().get(LOSS).getDouble(0), r.getGradients().get(PRED).dup());
    // the gradient session leaves its intermediate arrays (some twenty N x N: about 1.3 GB at N = 63^2) to the
    // garbage collector; collected here, a call of the loss holds one image's and one layer's at a time
    MemoryReclaim.afterStep();
    return result;
  }

  private SameDiff define(DataType type, long[] shape) {
    long n = shape[0];
    SameDiff sd = SameDiff.create();
    SDVariable i = sd.var(PRED, Nd4j.zeros(type, shape));
    SDVariable t = sd.placeHolder(TARGET, type, shape);
    SDVariable d;
    if (p.distance() == Distance.COSINE) {
      SDVariable mu = sd.placeHolder(MEAN, type, 1, shape[1]);
      SDVariable floor = sd.constant(Nd4j.scalar(type, 1e-12));
      SDVariable ic = i.sub(mu);
      SDVariable in = ic.div(sd.math().max(ic.norm2(true, 1), floor));
      SDVariable tc = t.sub(mu);
      SDVariable tn = tc.div(sd.math().max(tc.norm2(true, 1), floor));
      d = sd.mmul(in, tn, false, true, false).rsub(1).div(2);
    } else {
      SDVariable centre = t.mean(true, 0); // as ContextualAnalytic: distances unchanged, less rounding
      SDVariable ic = i.sub(centre);
      SDVariable tc = t.sub(centre);
      SDVariable ri = ic.mul(ic).sum(true, 1); // [N, 1]
      SDVariable rt = sd.transpose(tc.mul(tc).sum(true, 1)); // [1, N]
      d = sd.nn().relu(sd.mmul(ic, tc, false, true, false).mul(-2).add(ri).add(rt), 0);
    }
    SDVariable dr = d.div(d.min(true, 1).add(p.distanceEps()));
    SDVariable w = sd.math().exp(dr.rsub(1).div(p.bandWidth()));
    SDVariable cx = w.div(w.sum(true, 1));
    SDVariable c = p.wSpatial() == 0 ? cx
        : cx.mul(1 - p.wSpatial()).add(sd.constant(Nd4j.eye(n).castTo(type).muli(p.wSpatial())));
    SDVariable cs = c.max(0).mean();
    SDVariable loss = sd.math().log(cs.add(p.logEps())).neg().rename(LOSS);
    sd.setLossVariables(loss);
    SameDiffExecution.createGradientFunctionQuietly(sd);
    return sd;
  }
}
