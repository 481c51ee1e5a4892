package io.qtensor.test;

/**
 * The library's numerics written out in Java, to compute expected values:
 * q = clamp(zp + rint(x * (1.0f / (float) scale)), qmin, qmax) with the
 * product in float32; per-tensor dequantize (float) (q - zp) * (float) scale;
 * per-channel dequantize (float) ((double) (q - zp) * scale).
 */
final class Expected {
  private Expected() {}

  static long quantize(float x, double scale, long zeroPoint, long qmin, long qmax) {
    if (Float.isNaN(x)) {
      return zeroPoint;
    }
    float product = x * (1.0f / (float) scale);
    double rounded = Math.rint(product);
    if (rounded + zeroPoint >= qmax) {
      return qmax;
    }
    if (rounded + zeroPoint <= qmin) {
      return qmin;
    }
    return zeroPoint + (long) rounded;
  }

  static int[] quantizePerTensor(float[] x, double scale, long zeroPoint, long qmin, long qmax) {
    int[] q = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      q[i] = (int) quantize(x[i], scale, zeroPoint, qmin, qmax);
    }
    return q;
  }

  /** Channel c of element i is (i / inner) % channels, for row-major data. */
  static int[] quantizePerChannel(float[] x, int inner, double[] scales, long[] zeroPoints,
                                  long qmin, long qmax) {
    int[] q = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      int c = (i / inner) % scales.length;
      q[i] = (int) quantize(x[i], scales[c], zeroPoints[c], qmin, qmax);
    }
    return q;
  }

  static float[] dequantizePerTensor(int[] q, double scale, long zeroPoint) {
    float[] x = new float[q.length];
    for (int i = 0; i < q.length; i++) {
      x[i] = (float) (q[i] - zeroPoint) * (float) scale;
    }
    return x;
  }

  static float[] dequantizePerChannel(int[] q, int inner, double[] scales, long[] zeroPoints) {
    float[] x = new float[q.length];
    for (int i = 0; i < q.length; i++) {
      int c = (i / inner) % scales.length;
      x[i] = (float) ((double) (q[i] - zeroPoints[c]) * scales[c]);
    }
    return x;
  }

  /** value(i) = i * step + start, in float32. */
  static float[] ramp(int count, float step, float start) {
    float[] x = new float[count];
    for (int i = 0; i < count; i++) {
      x[i] = i * step + start;
    }
    return x;
  }
}
