// Reference arithmetic of the design notes, written independently of the
// library: the integers and floats the tests expect.
using System;
using QTensor;

namespace QTensor.Tests {

static class Expected {
  public static long Min(DType dtype) =>
      dtype == DType.QInt8 ? sbyte.MinValue : dtype == DType.QUInt8 ? 0 : int.MinValue;
  public static long Max(DType dtype) =>
      dtype == DType.QInt8 ? sbyte.MaxValue : dtype == DType.QUInt8 ? 255 : int.MaxValue;

  // q = clamp(zp + nearbyint(x * (1.0f / (float)scale)), qmin, qmax): float32
  // product, round half to even (Math.Round's default), exact integer sum.
  public static long Quantize(float x, double scale, long zeroPoint, DType dtype) {
    float inverse = (float)(1.0f / (float)scale);
    float product = (float)(x * inverse);
    long q = zeroPoint + (long)Math.Round((double)product);
    return Math.Max(Min(dtype), Math.Min(Max(dtype), q));
  }

  public static long[] Quantize(float[] values, double scale, long zeroPoint, DType dtype) {
    var result = new long[values.Length];
    for (int i = 0; i < values.Length; ++i) result[i] = Quantize(values[i], scale, zeroPoint, dtype);
    return result;
  }

  // Per tensor: (float)(q - zp) * (float)scale, in float32.
  public static float DequantizePerTensor(long q, double scale, long zeroPoint) {
    return (float)((float)(q - zeroPoint) * (float)scale);
  }

  // Per channel: (float)((double)(q - zp) * scale).
  public static float DequantizePerChannel(long q, double scale, long zeroPoint) {
    return (float)((double)(q - zeroPoint) * scale);
  }

  // Any integer array (sbyte[], byte[], int[]) widened to long[].
  public static long[] Longs(Array values) {
    var result = new long[values.Length];
    for (int i = 0; i < values.Length; ++i) result[i] = Convert.ToInt64(values.GetValue(i));
    return result;
  }
}

}  // namespace QTensor.Tests
