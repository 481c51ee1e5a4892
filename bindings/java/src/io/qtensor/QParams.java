package io.qtensor;

import java.util.Objects;

/**
 * A per-tensor scale and zero point chosen from data, as PyTorch 1.13
 * chooses them (bit for bit; docs/numerics.md gives the formulas). The
 * scale is a double, as PyTorch's.
 *
 * @param scale the scale
 * @param zeroPoint the zero point, inside the integer range asked for
 */
public record QParams(double scale, long zeroPoint) {
  /**
   * PyTorch's ChooseQuantizationParams: the parameters for values in
   * [min, max] (widened to include 0) and integers in [qmin, qmax].
   *
   * @param preserveSparsity PyTorch's symmetric variant: with min &lt; 0 &lt;
   *     max the range is made symmetric and the zero point is the middle of
   *     [qmin, qmax]
   * @param reduceRange halve qmin and qmax first (towards zero)
   * @param min the smallest value
   * @param max the largest value
   * @param qmin the smallest integer
   * @param qmax the largest integer
   * @return the scale and zero point
   * @throws QTensorException INVALID_ARGUMENT for min or max not finite,
   *     min &gt; max, qmin or qmax outside int32, or qmin &gt;= qmax
   */
  public static QParams choose(float min, float max, long qmin, long qmax,
                               boolean preserveSparsity, boolean reduceRange) {
    return of(NativeModule.choose_qparams(min, max, qmin, qmax, preserveSparsity, reduceRange));
  }

  /**
   * {@link #choose(float, float, long, long, boolean, boolean)} without
   * preserveSparsity or reduceRange.
   *
   * @param min the smallest value
   * @param max the largest value
   * @param qmin the smallest integer
   * @param qmax the largest integer
   * @return the scale and zero point
   */
  public static QParams choose(float min, float max, long qmin, long qmax) {
    return choose(min, max, qmin, qmax, false, false);
  }

  /**
   * torch._choose_qparams_per_tensor(x, reduce_range): {@link #choose} on
   * the row-major data's minimum and maximum, for quint8's [0, 255].
   *
   * @param data the floats, row-major
   * @param shape the sizes of the dims
   * @param reduceRange true to use one bit less of the integer range, as PyTorch's reduce_range
   * @return the scale and zero point
   * @throws QTensorException SHAPE_MISMATCH if data has not the shape's
   *     number of elements; INVALID_ARGUMENT for no elements, a NaN or an
   *     infinity (the message names the element), or a bad shape
   */
  public static QParams choosePerTensor(float[] data, long[] shape, boolean reduceRange) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    return of(NativeModule.choose_qparams_per_tensor_array(data, shape, reduceRange));
  }

  /**
   * {@link #choosePerTensor(float[], long[], boolean)} without reduceRange.
   *
   * @param data the floats, row-major
   * @param shape the sizes of the dims
   * @return the scale and zero point
   */
  public static QParams choosePerTensor(float[] data, long[] shape) {
    return choosePerTensor(data, shape, false);
  }

  private static QParams of(NativeQParams chosen) {
    try {
      return new QParams(chosen.getScale(), chosen.getZero_point());
    } finally {
      chosen.delete();
    }
  }
}
