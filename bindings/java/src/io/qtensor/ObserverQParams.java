package io.qtensor;

import java.util.Arrays;

/**
 * What an observer's {@link Observer#calculateQParams()} gives: float32
 * scales and zero points, one per channel (one for a per-tensor observer),
 * as PyTorch's calculate_qparams() gives them. Immutable: the accessors
 * return copies.
 */
public final class ObserverQParams {
  private final float[] scales;
  private final long[] zeroPoints;

  ObserverQParams(float[] scales, long[] zeroPoints) {
    this.scales = scales;
    this.zeroPoints = zeroPoints;
  }

  /** {@return the scales (float32, as PyTorch's), one per channel} */
  public float[] scales() {
    return scales.clone();
  }

  /** {@return the zero points, one per channel} */
  public long[] zeroPoints() {
    return zeroPoints.clone();
  }

  /**
   * {@return the scale of channel c (of a per-tensor observer: c is 0)}
   *
   * @param c the channel
   */
  public float scale(int c) {
    return scales[c];
  }

  /**
   * {@return the zero point of channel c (of a per-tensor observer: c is 0)}
   *
   * @param c the channel
   */
  public long zeroPoint(int c) {
    return zeroPoints[c];
  }

  /** The same scales (bit for bit) and zero points. */
  @Override
  public boolean equals(Object other) {
    if (!(other instanceof ObserverQParams)) {
      return false;
    }
    ObserverQParams that = (ObserverQParams) other;
    return Arrays.equals(scales, that.scales) && Arrays.equals(zeroPoints, that.zeroPoints);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(scales) + Arrays.hashCode(zeroPoints);
  }

  /** For example {@code ObserverQParams(scales=[0.023529412], zeroPoints=[0])}. */
  @Override
  public String toString() {
    return "ObserverQParams(scales=" + Arrays.toString(scales) + ", zeroPoints="
        + Arrays.toString(zeroPoints) + ")";
  }
}
