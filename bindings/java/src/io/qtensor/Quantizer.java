package io.qtensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * Quantization parameters (immutable): dtype plus scale and zero point, per
 * tensor or per channel. Owns native memory: close it, or use
 * try-with-resources. Two open quantizers are equal when the library finds
 * their parameters equal; a closed one equals only itself and keeps its hash
 * code, so a hash collection holding it stays consistent.
 */
public final class Quantizer implements AutoCloseable {
  private final NativeRef<NativeQuantizer> ref;
  // The hash code, computed from the parameters when first asked while open
  // (null until then); the same value forever after.
  private volatile Integer hash;

  Quantizer(NativeQuantizer proxy) {
    ref = new NativeRef<>("Quantizer", proxy, NativeQuantizer.getCPtr(proxy),
                          NativeModuleJNI::delete_NativeQuantizer);
  }

  /**
   * {@return a per-tensor affine quantizer: q = clamp(zeroPoint + round(x / scale))}
   *
   * @param scale the scale
   * @param zeroPoint the zero point
   * @param dtype the type of the integers
   */
  public static Quantizer perTensor(double scale, long zeroPoint, DType dtype) {
    Objects.requireNonNull(dtype, "dtype");
    return new Quantizer(NativeQuantizer.PerTensor(dtype.code(), scale, zeroPoint));
  }

  /**
   * {@return a per-channel affine quantizer: channel c of {@code axis} uses
   * scales[c] and zeroPoints[c]} A negative axis counts from the end.
   *
   * @param scales one scale per channel
   * @param zeroPoints one zero point per channel
   * @param axis the channel dim (negative counts from the end)
   * @param dtype the type of the integers
   */
  public static Quantizer perChannel(double[] scales, long[] zeroPoints, long axis, DType dtype) {
    Objects.requireNonNull(scales, "scales");
    Objects.requireNonNull(zeroPoints, "zeroPoints");
    Objects.requireNonNull(dtype, "dtype");
    return new Quantizer(NativeQuantizer.PerChannel(dtype.code(), scales, zeroPoints, axis));
  }

  /**
   * {@return a per-block affine quantizer (ONNX's blocked quantization): one
   * scale and zero point per block of {@code blockSize} consecutive elements
   * along {@code axis}, the last block possibly short} The parameters are
   * row-major in the tensor's shape with that dim replaced by its number of
   * blocks (checked when the quantizer is used).
   *
   * @param scales one scale per block
   * @param zeroPoints one zero point per block
   * @param axis the blocked dim (negative counts from the end)
   * @param blockSize the elements per block, at least 1
   * @param dtype the type of the integers
   */
  public static Quantizer perBlock(double[] scales, long[] zeroPoints, long axis, long blockSize,
                                   DType dtype) {
    Objects.requireNonNull(scales, "scales");
    Objects.requireNonNull(zeroPoints, "zeroPoints");
    Objects.requireNonNull(dtype, "dtype");
    return new Quantizer(
        NativeQuantizer.PerBlock(dtype.code(), scales, zeroPoints, axis, blockSize));
  }

  /**
   * {@return the quantizer of GGUF blocks of a type: one d per block of 32 along the last dim, rows
   * first, kept as float16, with {@link Rounding#GGUF}} 0, -0.0 and negative scales are kept;
   * one that is not a finite float16 value is an INVALID_ARGUMENT.
   *
   * @param type Q4_0 (QUINT4, zero points 8) or Q8_0 (QINT8, zero points 0)
   * @param scales one d per block
   */
  public static Quantizer gguf(GgufType type, double[] scales) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(scales, "scales");
    return new Quantizer(NativeQuantizer.Gguf(type.code(), scales));
  }

  /**
   * {@return PyTorch's per_channel_affine_float_qparams quantizer (its
   * embedding quantization's): channel c of {@code axis} uses the float32
   * scales[c] and zeroPoints[c]} The zero points may be any finite value;
   * dtype is QINT8, QUINT8, QUINT4X2 or QUINT2X4.
   *
   * @param scales one scale per channel
   * @param zeroPoints one zero point per channel
   * @param axis the channel dim (negative counts from the end)
   * @param dtype the type of the integers
   */
  public static Quantizer perChannelFloatQParams(float[] scales, float[] zeroPoints, long axis,
                                                 DType dtype) {
    Objects.requireNonNull(scales, "scales");
    Objects.requireNonNull(zeroPoints, "zeroPoints");
    Objects.requireNonNull(dtype, "dtype");
    return new Quantizer(
        NativeQuantizer.perChannelFloatQParamsArrays(dtype.code(), scales, zeroPoints, axis));
  }

  /**
   * {@return a copy that quantizes with the given rounding} ONNX's with
   * QINT32, QUINT4X2 or QUINT2X4 is an INVALID_ARGUMENT.
   *
   * @param rounding the rounding
   */
  public Quantizer withRounding(Rounding rounding) {
    Objects.requireNonNull(rounding, "rounding");
    return new Quantizer(handle().with_rounding(rounding.code()));
  }

  /**
   * {@return a copy whose scales are kept as the given type} A scale that is
   * not a value of the type is an INVALID_ARGUMENT naming the nearest one.
   *
   * @param scaleType the type of the scales
   */
  public Quantizer withScaleType(ScaleType scaleType) {
    Objects.requireNonNull(scaleType, "scaleType");
    return new Quantizer(handle().with_scale_type(scaleType.code()));
  }

  /** {@return how floats are rounded into this quantizer's integers} */
  public Rounding rounding() {
    return Rounding.fromCode(handle().rounding());
  }

  /** {@return the type the scales are kept in} */
  public ScaleType scaleType() {
    return ScaleType.fromCode(handle().scale_type());
  }

  /** {@return the block size of a per-block quantizer (TYPE_MISMATCH otherwise)} */
  public long blockSize() {
    return handle().block_size();
  }

  NativeQuantizer handle() {
    return ref.get();
  }

  /** {@return the type of the integers} */
  public DType dtype() {
    return DType.fromCode(handle().dtype());
  }

  /** {@return the scheme: per tensor, per channel or per block} */
  public QScheme qscheme() {
    return QScheme.fromCode(handle().qscheme());
  }

  /** {@return the scale of a per-tensor quantizer (TYPE_MISMATCH if per-channel)} */
  public double scale() {
    return handle().scale();
  }

  /** {@return the zero point of a per-tensor quantizer (TYPE_MISMATCH if per-channel)} */
  public long zeroPoint() {
    return handle().zero_point();
  }

  /** {@return the channel axis as given at creation (TYPE_MISMATCH if per-tensor)} */
  public long axis() {
    return handle().axis();
  }

  /** {@return the number of channels (of blocks if per-block); 1 for per-tensor} */
  public long numChannels() {
    return handle().num_channels();
  }

  /** {@return the per-channel scales (the one scale for per-tensor)} */
  public double[] scales() {
    return handle().scales();
  }

  /** {@return the per-channel zero points (the one zero point for per-tensor)} */
  public long[] zeroPoints() {
    return handle().zero_points();
  }

  /** {@return the float zero points of a float-qparams quantizer (TYPE_MISMATCH otherwise)} */
  public float[] floatZeroPoints() {
    return handle().floatZeroPointsArray();
  }

  /**
   * Same dtype, scheme, axis (as given) and parameters, for two open
   * quantizers; a closed quantizer equals only itself. Never throws.
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof Quantizer) || isClosed() || ((Quantizer) other).isClosed()) {
      return false;
    }
    return handle().isEqual(((Quantizer) other).handle());
  }

  /**
   * A hash of the dtype, scheme and parameters, computed once, when first
   * asked while open, and kept after close (a quantizer first asked once
   * closed hashes by identity, as it equals only itself). Never throws.
   */
  @Override
  public int hashCode() {
    Integer known = hash;
    if (known == null) {
      // Threads racing here compute the same value: the parameters never
      // change (and close, like any write, needs the caller's lock).
      known = isClosed() ? System.identityHashCode(this) : parameterHash(handle());
      hash = known;
    }
    return known;
  }

  private static int parameterHash(NativeQuantizer proxy) {
    boolean floats = proxy.qscheme() == qt_qscheme.QT_PER_CHANNEL_AFFINE_FLOAT_QPARAMS;
    return Objects.hash(proxy.dtype(), proxy.qscheme(), Arrays.hashCode(proxy.scales()),
                        floats ? Arrays.hashCode(proxy.floatZeroPointsArray())
                               : Arrays.hashCode(proxy.zero_points()));
  }

  /** For example {@code Quantizer(qint8, per_tensor_affine, scale=0.1, zero_point=0)}. */
  @Override
  public String toString() {
    if (ref.isClosed()) {
      return "Quantizer(closed)";
    }
    String name = dtype().torchName();
    if (qscheme() == QScheme.PER_TENSOR_AFFINE) {
      return "Quantizer(" + name + ", per_tensor_affine, scale=" + scale()
          + ", zero_point=" + zeroPoint() + ")";
    }
    if (qscheme() == QScheme.PER_BLOCK_AFFINE) {
      return "Quantizer(" + name + ", per_block_affine, scales=" + Arrays.toString(scales())
          + ", zero_points=" + Arrays.toString(zeroPoints()) + ", axis=" + axis()
          + ", block_size=" + blockSize() + ")";
    }
    if (qscheme() == QScheme.PER_CHANNEL_AFFINE_FLOAT_QPARAMS) {
      // One channel of a view that selected the axis away has no axis.
      String axis = numChannels() == 1 && !hasAxis() ? "" : ", axis=" + axis();
      return "Quantizer(" + name + ", per_channel_affine_float_qparams, scales="
          + Arrays.toString(scales()) + ", zero_points=" + Arrays.toString(floatZeroPoints())
          + axis + ")";
    }
    return "Quantizer(" + name + ", per_channel_affine, scales=" + Arrays.toString(scales())
        + ", zero_points=" + Arrays.toString(zeroPoints()) + ", axis=" + axis() + ")";
  }

  private boolean hasAxis() {
    try {
      axis();
      return true;
    } catch (QTensorException e) {
      return false;
    }
  }

  /** {@return true once close() was called} */
  public boolean isClosed() {
    return ref.isClosed();
  }

  /** Frees the native quantizer; closing again does nothing. */
  @Override
  public void close() {
    ref.close();
  }
}
