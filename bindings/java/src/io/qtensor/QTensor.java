package io.qtensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A quantized tensor: a view (shape, strides, offset) of a shared storage of
 * integers plus the quantizer that gives them meaning. Views made by
 * select, slice, narrow, transpose and permute share the storage: writing
 * through one changes what the others see.
 *
 * <p>Integers cross into Java as {@code byte} for QINT8, {@code short}
 * 0..255 for QUINT8 and {@code int} for QINT32. Each tensor owns a native
 * handle: close it (try-with-resources); closing twice does nothing, and any
 * other use after close throws IllegalStateException. Library errors throw
 * {@link QTensorException}. A tensor may be read from many threads; writes
 * and close need the caller's lock.
 *
 * <p>Methods that write into the caller's array ({@link #dequantizeTo},
 * {@link #intReprTo}) need room for at least {@link #numel()} elements:
 * the first numel() are written row-major, the rest is left as it was, and
 * a shorter destination throws {@link QTensorException} with status
 * {@link Status#INVALID_ARGUMENT} (as the C API) before anything is written.
 */
public final class QTensor implements AutoCloseable {
  private final NativeRef<NativeTensor> ref;

  QTensor(NativeTensor proxy) {
    ref = new NativeRef<>("QTensor", proxy, NativeTensor.getCPtr(proxy),
                          NativeModuleJNI::delete_NativeTensor);
  }

  // ------------------------------------------------------------- creation

  /**
   * Quantizes row-major floats of the given shape with the quantizer.
   *
   * @param data the floats, row-major
   * @param shape the sizes of the dims
   * @param quantizer the scale or scales, zero point or points and dtype
   * @return a new tensor (close it)
   */
  public static QTensor quantize(float[] data, long[] shape, Quantizer quantizer) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(quantizer, "quantizer");
    return new QTensor(NativeTensor.quantizeArray(data, shape, quantizer.handle()));
  }

  /**
   * Quantizes the buffer's remaining() floats, from its position (which is
   * left where it was). A direct buffer in native byte order is read in
   * place, without a copy; any other buffer is copied first.
   *
   * @param data the floats, row-major
   * @param shape the sizes of the dims
   * @param quantizer the scale or scales, zero point or points and dtype
   * @return a new tensor (close it)
   */
  public static QTensor quantize(FloatBuffer data, long[] shape, Quantizer quantizer) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(quantizer, "quantizer");
    if (!readsInPlace(data)) {
      return quantize(toArray(data), shape, quantizer);
    }
    return new QTensor(NativeTensor.quantizeBuffer(data, data.position(), data.remaining(), shape,
                                                   quantizer.handle()));
  }

  /**
   * torch.quantize_per_tensor.
   *
   * @param data the floats, row-major
   * @param shape the sizes of the dims
   * @param scale the scale
   * @param zeroPoint the zero point
   * @param dtype the type of the integers
   * @return a new tensor (close it)
   */
  public static QTensor quantizePerTensor(float[] data, long[] shape, double scale,
                                          long zeroPoint, DType dtype) {
    try (Quantizer quantizer = Quantizer.perTensor(scale, zeroPoint, dtype)) {
      return quantize(data, shape, quantizer);
    }
  }

  /**
   * torch.quantize_per_tensor from a FloatBuffer (see quantize).
   *
   * @param data the floats, row-major
   * @param shape the sizes of the dims
   * @param scale the scale
   * @param zeroPoint the zero point
   * @param dtype the type of the integers
   * @return a new tensor (close it)
   */
  public static QTensor quantizePerTensor(FloatBuffer data, long[] shape, double scale,
                                          long zeroPoint, DType dtype) {
    try (Quantizer quantizer = Quantizer.perTensor(scale, zeroPoint, dtype)) {
      return quantize(data, shape, quantizer);
    }
  }

  /**
   * torch.quantize_per_channel.
   *
   * @param data the floats, row-major
   * @param shape the sizes of the dims
   * @param scales one scale per channel
   * @param zeroPoints one zero point per channel
   * @param axis the channel dim (negative counts from the end)
   * @param dtype the type of the integers
   * @return a new tensor (close it)
   */
  public static QTensor quantizePerChannel(float[] data, long[] shape, double[] scales,
                                           long[] zeroPoints, long axis, DType dtype) {
    try (Quantizer quantizer = Quantizer.perChannel(scales, zeroPoints, axis, dtype)) {
      return quantize(data, shape, quantizer);
    }
  }

  /**
   * torch.quantize_per_channel from a FloatBuffer (see quantize).
   *
   * @param data the floats, row-major
   * @param shape the sizes of the dims
   * @param scales one scale per channel
   * @param zeroPoints one zero point per channel
   * @param axis the channel dim (negative counts from the end)
   * @param dtype the type of the integers
   * @return a new tensor (close it)
   */
  public static QTensor quantizePerChannel(FloatBuffer data, long[] shape, double[] scales,
                                           long[] zeroPoints, long axis, DType dtype) {
    try (Quantizer quantizer = Quantizer.perChannel(scales, zeroPoints, axis, dtype)) {
      return quantize(data, shape, quantizer);
    }
  }

  /**
   * torch.quantize_per_tensor_dynamic(x, dtype, reduce_range): quantizes
   * row-major floats into a new per-tensor tensor with the parameters
   * {@link QParams#choose} picks from their minimum and maximum ([-128, 127]
   * for QINT8, [0, 255] for QUINT8), bit for bit as PyTorch 1.13.
   *
   * @param data the floats, row-major
   * @param shape the sizes of the dims
   * @param dtype QINT8 or QUINT8
   * @param reduceRange true to use one bit less of the integer range, as PyTorch's reduce_range
   * @return a new tensor (close it)
   * @throws QTensorException INVALID_ARGUMENT for QINT32 (PyTorch refuses
   *     it too), no elements, a NaN or an infinity; SHAPE_MISMATCH if data
   *     has not the shape's number of elements
   */
  public static QTensor quantizePerTensorDynamic(float[] data, long[] shape, DType dtype,
                                                 boolean reduceRange) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(dtype, "dtype");
    return new QTensor(
        NativeModule.quantize_per_tensor_dynamic_array(data, shape, dtype.code(), reduceRange));
  }

  /**
   * {@link #quantizePerTensorDynamic(float[], long[], DType, boolean)} without reduceRange.
   *
   * @param data the floats, row-major
   * @param shape the sizes of the dims
   * @param dtype QINT8 or QUINT8
   * @return a new tensor (close it)
   */
  public static QTensor quantizePerTensorDynamic(float[] data, long[] shape, DType dtype) {
    return quantizePerTensorDynamic(data, shape, dtype, false);
  }

  /**
   * Quantizes row-major floats into GGUF blocks of a type exactly as llama.cpp's
   * quantize_row_q8_0 / quantize_row_q4_0: each block of 32 along the last dim gets its own d.
   *
   * @param data the floats, row-major
   * @param shape the sizes of the dims (the last a multiple of 32)
   * @param type Q4_0 or Q8_0
   * @return a new tensor with {@link Quantizer#gguf}'s quantizer (close it)
   * @throws QTensorException INVALID_ARGUMENT for another shape or a block whose d is not finite;
   *     SHAPE_MISMATCH if data has not the shape's number of elements
   */
  public static QTensor quantizeGguf(float[] data, long[] shape, GgufType type) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(type, "type");
    return new QTensor(NativeModule.quantize_gguf_array(data, shape, type.code()));
  }

  /**
   * {@return a tensor whose integers are all zero (not the zero point)}
   *
   * @param shape the sizes of the dims
   * @param quantizer the scale or scales, zero point or points and dtype
   */
  public static QTensor emptyQuantized(long[] shape, Quantizer quantizer) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(quantizer, "quantizer");
    return new QTensor(NativeTensor.EmptyQuantized(shape, quantizer.handle()));
  }

  /**
   * torch.empty_like(q): a new contiguous tensor of tensor's shape and
   * dtype whose every element keeps its own parameters (a view's per-channel
   * scales and axis too), all its integers zero (not the zero point).
   *
   * @param tensor the tensor whose shape, dtype and parameters are taken
   * @return a new tensor (close it)
   */
  public static QTensor emptyLike(QTensor tensor) {
    Objects.requireNonNull(tensor, "tensor");
    return new QTensor(NativeModule.empty_like(tensor.handle()));
  }

  /**
   * {@return a tensor holding a copy of qint8 or qint4 integers, one per value (the
   * quantizer must be QINT8 or QINT4; INVALID_ARGUMENT for a QINT4 value
   * outside -8..7)}
   *
   * @param data the integers, row-major
   * @param shape the sizes of the dims
   * @param quantizer the scale or scales, zero point or points and dtype
   */
  public static QTensor fromIntRepr(byte[] data, long[] shape, Quantizer quantizer) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    requireDType(quantizer, "byte[]", DType.QINT8, DType.QINT4);
    return new QTensor(NativeTensor.fromInt8(data, shape, quantizer.handle()));
  }

  /**
   * {@return a tensor holding a copy of short integers: qint16 ones, or quint8
   * ones and those of the unsigned packed dtypes (QUINT4X2, QUINT2X4, QUINT4),
   * each 0..255 (the quantizer must be one of these dtypes);
   * IllegalArgumentException for a value outside 0..255, INVALID_ARGUMENT for
   * one outside a packed dtype's range}
   *
   * @param data the integers, row-major
   * @param shape the sizes of the dims
   * @param quantizer the scale or scales, zero point or points and dtype
   */
  public static QTensor fromIntRepr(short[] data, long[] shape, Quantizer quantizer) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    requireDType(quantizer, "short[]", DType.QUINT8, DType.QUINT4X2, DType.QUINT2X4, DType.QUINT4,
                 DType.QINT16);
    if (quantizer.dtype() == DType.QINT16) {
      ByteBuffer bytes = nativeBytes(data.length * 2);
      bytes.asShortBuffer().put(data);
      return new QTensor(NativeTensor.fromPackedBytes(bytes.array(), shape, quantizer.handle()));
    }
    String name = quantizer.dtype().torchName();
    byte[] bits = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      if (data[i] < 0 || data[i] > 255) {
        throw new IllegalArgumentException(
            name + " value " + data[i] + " at index " + i + " is outside 0..255");
      }
      bits[i] = (byte) data[i];
    }
    return new QTensor(NativeTensor.fromInt8(bits, shape, quantizer.handle()));
  }

  /**
   * {@return a tensor holding a copy of qint32 integers, or of quint16 ones, each
   * 0..65535 (the quantizer must be QINT32 or QUINT16);
   * IllegalArgumentException for a quint16 value outside 0..65535}
   *
   * @param data the integers, row-major
   * @param shape the sizes of the dims
   * @param quantizer the scale or scales, zero point or points and dtype
   */
  public static QTensor fromIntRepr(int[] data, long[] shape, Quantizer quantizer) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    requireDType(quantizer, "int[]", DType.QINT32, DType.QUINT16);
    if (quantizer.dtype() == DType.QUINT16) {
      ByteBuffer bytes = nativeBytes(data.length * 2);
      for (int i = 0; i < data.length; i++) {
        if (data[i] < 0 || data[i] > 65535) {
          throw new IllegalArgumentException(
              "quint16 value " + data[i] + " at index " + i + " is outside 0..65535");
        }
        bytes.putShort(i * 2, (short) data[i]);
      }
      return new QTensor(NativeTensor.fromPackedBytes(bytes.array(), shape, quantizer.handle()));
    }
    return new QTensor(NativeTensor.fromInt32(data, shape, quantizer.handle()));
  }

  /**
   * {@return a tensor from integers in storage form, row-major: for the packed
   * dtypes (QUINT4X2, QUINT2X4, QINT4, QUINT4) ceil(numel * bits / 8) bytes,
   * the first value in the lowest bits (as PyTorch keeps quint4x2) and the
   * unused high bits of the last byte 0, as {@link #packedRepr()} gives
   * them; for the other dtypes the integers' bytes in the platform's order}
   *
   * @param data the bytes
   * @param shape the sizes of the dims
   * @param quantizer the scale or scales, zero point or points and dtype
   * @throws QTensorException SHAPE_MISMATCH for the wrong number of bytes;
   *     CORRUPT_DATA for unused bits that are not 0
   */
  public static QTensor fromPacked(byte[] data, long[] shape, Quantizer quantizer) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(quantizer, "quantizer");
    return new QTensor(NativeTensor.fromPackedBytes(data, shape, quantizer.handle()));
  }

  /**
   * {@return a tensor holding a copy of the 8-bit integers from data's position to
   * its limit, heap or direct: QINT8 integers, or QUINT8 ones read as the
   * unsigned bytes they are (the quantizer must be one of the two)} data's
   * position, limit and contents are left as they were.
   *
   * @param data the integers, row-major
   * @param shape the sizes of the dims
   * @param quantizer the scale or scales, zero point or points and dtype
   * @throws QTensorException TYPE_MISMATCH for a QINT32 quantizer;
   *     SHAPE_MISMATCH if remaining() is not the shape's number of elements
   */
  public static QTensor fromIntRepr(ByteBuffer data, long[] shape, Quantizer quantizer) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(quantizer, "quantizer");
    if (quantizer.dtype().itemSize() != 1) {
      throw new QTensorException(Status.TYPE_MISMATCH,
                                 "fromIntRepr(ByteBuffer) holds one byte per value, got a "
                                     + quantizer.dtype() + " quantizer (use an array)");
    }
    byte[] bytes = new byte[data.remaining()];
    data.duplicate().get(bytes);
    return new QTensor(NativeTensor.fromInt8(bytes, shape, quantizer.handle()));
  }

  /**
   * {@return a tensor holding a copy of the qint32 integers from data's position to
   * its limit, heap or direct (the quantizer must be QINT32); data's
   * position, limit and contents are left as they were}
   *
   * @param data the integers, row-major
   * @param shape the sizes of the dims
   * @param quantizer the scale or scales, zero point or points and dtype
   */
  public static QTensor fromIntRepr(IntBuffer data, long[] shape, Quantizer quantizer) {
    Objects.requireNonNull(data, "data");
    requireDType(quantizer, "IntBuffer", DType.QINT32, DType.QUINT16);
    int[] ints = new int[data.remaining()];
    data.duplicate().get(ints);
    return fromIntRepr(ints, shape, quantizer);
  }

  /**
   * torch._make_per_tensor_quantized_tensor of int8 integers: a QINT8 tensor.
   *
   * @param data the integers, row-major
   * @param shape the sizes of the dims
   * @param scale the scale
   * @param zeroPoint the zero point
   * @return a new tensor (close it)
   */
  public static QTensor makePerTensorQuantized(byte[] data, long[] shape, double scale,
                                               long zeroPoint) {
    try (Quantizer quantizer = Quantizer.perTensor(scale, zeroPoint, DType.QINT8)) {
      return fromIntRepr(data, shape, quantizer);
    }
  }

  /**
   * torch._make_per_tensor_quantized_tensor of int32 integers: a QINT32 tensor.
   *
   * @param data the integers, row-major
   * @param shape the sizes of the dims
   * @param scale the scale
   * @param zeroPoint the zero point
   * @return a new tensor (close it)
   */
  public static QTensor makePerTensorQuantized(int[] data, long[] shape, double scale,
                                               long zeroPoint) {
    try (Quantizer quantizer = Quantizer.perTensor(scale, zeroPoint, DType.QINT32)) {
      return fromIntRepr(data, shape, quantizer);
    }
  }

  /**
   * torch._make_per_tensor_quantized_tensor of uint8 integers (each 0..255,
   * held in shorts since Java's byte is signed): a QUINT8 tensor.
   *
   * @param data the integers, row-major, each 0..255
   * @param shape the sizes of the dims
   * @param scale the scale
   * @param zeroPoint the zero point
   * @return a new tensor (close it)
   */
  public static QTensor makePerTensorQuantizedUInt8(short[] data, long[] shape, double scale,
                                                    long zeroPoint) {
    try (Quantizer quantizer = Quantizer.perTensor(scale, zeroPoint, DType.QUINT8)) {
      return fromIntRepr(data, shape, quantizer);
    }
  }

  // ---------------------------------------------------------- inspection

  NativeTensor handle() {
    return ref.get();
  }

  /** {@return the number of dims (0 for a tensor holding one value)} */
  public int dim() {
    return (int) handle().dim();
  }

  /** {@return the number of elements: the product of the shape (1 for 0 dims)} */
  public long numel() {
    return handle().numel();
  }

  /** {@return the sizes of the dims (PyTorch's size())} */
  public long[] shape() {
    return handle().sizes();
  }

  /**
   * {@return the size of one dim; a negative dim counts from the end}
   *
   * @param dim the dim (negative counts from the end)
   */
  public long size(int dim) {
    long[] shape = shape();
    int index = dim < 0 ? dim + shape.length : dim;
    if (index < 0 || index >= shape.length) {
      throw new QTensorException(Status.OUT_OF_RANGE,
                                 "dim " + dim + " is outside a tensor of " + shape.length + " dims");
    }
    return shape[index];
  }

  /** {@return the strides, in elements (may be negative)} */
  public long[] strides() {
    return handle().strides();
  }

  /** {@return the offset of the view's first element in the shared storage, in elements} */
  public long storageOffset() {
    return handle().storage_offset();
  }

  /** {@return the type of the integers} */
  public DType dtype() {
    return DType.fromCode(handle().dtype());
  }

  /** {@return the effective scheme of this view} */
  public QScheme qscheme() {
    return QScheme.fromCode(handle().qscheme());
  }

  /** {@return true: every open tensor is quantized} */
  public boolean isQuantized() {
    return handle().is_quantized();
  }

  /** {@return true if the view's elements lie next to each other in row-major order} */
  public boolean isContiguous() {
    return handle().is_contiguous();
  }

  /**
   * {@return true if the storage is read-only: a tensor from a {@link BundleFile} (or a bundle
   * file loaded, whose tensors map it) borrows the file's mapped bytes, and writing into it throws
   * {@link QTensorException} with status {@link Status#INVALID_ARGUMENT}; {@link #clone()} gives a
   * writable copy}
   */
  public boolean isReadOnly() {
    return handle().is_read_only();
  }

  /**
   * {@return true if this tensor and other are views of the same storage}
   *
   * @param other another tensor
   */
  public boolean sharesStorageWith(QTensor other) {
    Objects.requireNonNull(other, "other");
    return handle().shares_storage_with(other.handle());
  }

  /** {@return the effective quantizer of this view, in its own dim numbering (close it)} */
  public Quantizer quantizer() {
    return new Quantizer(handle().quantizer());
  }

  /** {@return the scale of a per-tensor view (TYPE_MISMATCH otherwise)} */
  public double qScale() {
    return handle().q_scale();
  }

  /** {@return the zero point of a per-tensor view (TYPE_MISMATCH otherwise)} */
  public long qZeroPoint() {
    return handle().q_zero_point();
  }

  /** {@return the scales of a per-channel view (TYPE_MISMATCH otherwise)} */
  public double[] qPerChannelScales() {
    return handle().q_per_channel_scales();
  }

  /** {@return the zero points of a per-channel view (TYPE_MISMATCH otherwise)} */
  public long[] qPerChannelZeroPoints() {
    return handle().q_per_channel_zero_points();
  }

  /** {@return the float zero points of a float-qparams view (TYPE_MISMATCH otherwise)} */
  public float[] qPerChannelFloatZeroPoints() {
    return handle().qPerChannelFloatZeroPointsArray();
  }

  /** {@return the view's own channel dim (TYPE_MISMATCH for a per-tensor view)} */
  public long qPerChannelAxis() {
    return handle().q_per_channel_axis();
  }

  /**
   * {@return the view's number of channels: its size along the channel dim for a
   * per-channel view, else 1 (also for a view that selected the channel dim
   * away)} Copies no scales.
   */
  public long qNumChannels() {
    return handle().q_num_channels();
  }

  // ------------------------------------------------------------ read-out

  /** {@return the dequantized values, row-major} */
  public float[] dequantize() {
    return handle().dequantizeArray();
  }

  /**
   * Writes the numel() dequantized values, row-major, at the start of
   * destination; its elements from numel() on are left as they were.
   *
   * @param destination the array that receives the values
   * @throws QTensorException (INVALID_ARGUMENT) if destination is shorter than
   *     numel(); nothing is written then
   */
  public void dequantizeTo(float[] destination) {
    Objects.requireNonNull(destination, "destination");
    handle().dequantizeToArray(destination, 0, destination.length);
  }

  /**
   * Writes the numel() dequantized values, row-major, from the buffer's
   * position: its remaining() elements are the destination, of which the
   * first numel() are written and the rest are left as they were. The
   * position and limit do not change (as with quantize). A direct buffer in
   * native byte order and a buffer backed by an array are written in place;
   * another direct buffer gets a copy.
   *
   * @param destination the buffer that receives the values
   * @throws QTensorException (INVALID_ARGUMENT) if remaining() is less than
   *     numel(); nothing is written then
   * @throws IllegalArgumentException if the buffer is read-only
   */
  public void dequantizeTo(FloatBuffer destination) {
    Objects.requireNonNull(destination, "destination");
    if (destination.isReadOnly()) {
      throw new IllegalArgumentException("the FloatBuffer is read-only");
    }
    int position = destination.position();
    int remaining = destination.remaining();
    if (readsInPlace(destination)) {
      handle().dequantizeBuffer(destination, position, remaining);
    } else if (destination.hasArray()) {
      handle().dequantizeToArray(destination.array(), destination.arrayOffset() + position,
                                 remaining);
    } else {
      long numel = numel();
      if (numel > remaining) {
        throw destinationTooShort(remaining, numel);
      }
      destination.duplicate().put(dequantize());
    }
  }

  /**
   * {@return the integers, row-major, one per value widened to int (QUINT8 as
   * 0..255, QUINT16 as 0..65535)} Any dtype.
   */
  public int[] intRepr() {
    NativeTensor proxy = handle();
    DType dtype = DType.fromCode(proxy.dtype());
    if (dtype == DType.QINT32) {
      return proxy.intReprInts();
    }
    if (dtype == DType.QINT16 || dtype == DType.QUINT16) {
      short[] shorts = sixteenBitIntRepr();
      int[] values = new int[shorts.length];
      for (int i = 0; i < shorts.length; i++) {
        values[i] = dtype == DType.QUINT16 ? Short.toUnsignedInt(shorts[i]) : shorts[i];
      }
      return values;
    }
    byte[] bytes = proxy.intReprBytes();
    int[] values = new int[bytes.length];
    boolean unsigned = dtype != DType.QINT8 && dtype != DType.QINT4;
    for (int i = 0; i < bytes.length; i++) {
      values[i] = unsigned ? Byte.toUnsignedInt(bytes[i]) : bytes[i];
    }
    return values;
  }

  /**
   * {@return the integers of a QINT8 or QINT4 tensor, one per value
   * (TYPE_MISMATCH for another dtype)}
   */
  public byte[] intReprInt8() {
    requireDType("intReprInt8", DType.QINT8, DType.QINT4);
    return handle().intReprBytes();
  }

  /**
   * {@return the integers of a QUINT8 tensor or of an unsigned packed one
   * (QUINT4X2, QUINT2X4, QUINT4), one per value, each 0..255 (TYPE_MISMATCH
   * otherwise)}
   */
  public short[] intReprUInt8() {
    requireDType("intReprUInt8", DType.QUINT8, DType.QUINT4X2, DType.QUINT2X4, DType.QUINT4);
    byte[] bytes = handle().intReprBytes();
    short[] values = new short[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      values[i] = (short) Byte.toUnsignedInt(bytes[i]);
    }
    return values;
  }

  /** {@return the integers of a QINT32 tensor (TYPE_MISMATCH for another dtype)} */
  public int[] intReprInt32() {
    requireDType("intReprInt32", DType.QINT32);
    return handle().intReprInts();
  }

  /** {@return the integers of a QINT16 tensor (TYPE_MISMATCH for another dtype)} */
  public short[] intReprInt16() {
    requireDType("intReprInt16", DType.QINT16);
    return sixteenBitIntRepr();
  }

  /**
   * {@return the integers of a QUINT16 tensor, each 0..65535 (TYPE_MISMATCH for
   * another dtype)}
   */
  public int[] intReprUInt16() {
    requireDType("intReprUInt16", DType.QUINT16);
    return intRepr();
  }

  /**
   * {@return the integers in storage form, row-major: for the packed dtypes
   * (QUINT4X2, QUINT2X4, QINT4, QUINT4) ceil(numel * bits / 8) bytes packed
   * from the first value, whatever the view's layout, the first value in the
   * lowest bits and the unused high bits of the last byte 0 (PyTorch 1.13's
   * int_repr() of a quint4x2 tensor gives the same bytes); for the other
   * dtypes the integers' bytes in the platform's order} {@link #fromPacked}
   * takes them back.
   */
  public byte[] packedRepr() {
    return handle().packedReprBytes();
  }

  private short[] sixteenBitIntRepr() {
    short[] values = new short[Math.toIntExact(numel())];
    ByteBuffer.wrap(handle().packedReprBytes()).order(ByteOrder.nativeOrder()).asShortBuffer()
        .get(values);
    return values;
  }

  private static ByteBuffer nativeBytes(int length) {
    return ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
  }

  /**
   * Writes the numel() integers of a QINT8 or QINT4 tensor, row-major, at the start
   * of destination, in place; its elements from numel() on are left as they
   * were.
   *
   * @param destination the array that receives the integers
   * @throws QTensorException TYPE_MISMATCH for another dtype; INVALID_ARGUMENT
   *     if destination is shorter than numel() (nothing is written then)
   */
  public void intReprTo(byte[] destination) {
    Objects.requireNonNull(destination, "destination");
    handle().intReprToBytes(destination);
  }

  /**
   * Writes the numel() integers of a QUINT8 tensor or an unsigned packed one,
   * each 0..255 as intReprUInt8() gives them, or of a QINT16 tensor, at the
   * start of destination; its elements from numel() on are left as they
   * were.
   *
   * @param destination the array that receives the integers
   * @throws QTensorException TYPE_MISMATCH for another dtype; INVALID_ARGUMENT
   *     if destination is shorter than numel() (nothing is written then)
   */
  public void intReprTo(short[] destination) {
    Objects.requireNonNull(destination, "destination");
    if (dtype() == DType.QINT16) {
      requireRoom(destination.length);
      short[] values = sixteenBitIntRepr();
      System.arraycopy(values, 0, destination, 0, values.length);
      return;
    }
    handle().intReprToShorts(destination);
  }

  /**
   * Writes the numel() integers of a QINT32 tensor, or of a QUINT16 one
   * (each 0..65535), row-major, at the start of destination; its elements
   * from numel() on are left as they were.
   *
   * @param destination the array that receives the integers
   * @throws QTensorException TYPE_MISMATCH for another dtype; INVALID_ARGUMENT
   *     if destination is shorter than numel() (nothing is written then)
   */
  public void intReprTo(int[] destination) {
    Objects.requireNonNull(destination, "destination");
    if (dtype() == DType.QUINT16) {
      requireRoom(destination.length);
      int[] values = intRepr();
      System.arraycopy(values, 0, destination, 0, values.length);
      return;
    }
    handle().intReprToInts(destination);
  }

  /**
   * Writes the numel() integers of a QINT8 or QUINT8 tensor (QUINT8 ones as
   * their unsigned bytes), row-major, from destination's position on, heap
   * or direct; destination's position and limit, and its bytes past
   * numel(), are left as they were.
   *
   * @param destination the buffer that receives the integers
   * @throws QTensorException TYPE_MISMATCH for a QINT32 tensor;
   *     INVALID_ARGUMENT if remaining() is less than numel() (nothing is
   *     written then)
   */
  public void intReprTo(ByteBuffer destination) {
    Objects.requireNonNull(destination, "destination");
    DType dtype = dtype();
    if (dtype.itemSize() != 1) {
      throw new QTensorException(Status.TYPE_MISMATCH,
                                 "intReprTo(ByteBuffer) needs a tensor of one byte per value, got "
                                     + dtype + " (use an array)");
    }
    requireRoom(destination.remaining());
    destination.duplicate().put(handle().intReprBytes());
  }

  /**
   * Writes the numel() integers of a QINT32 tensor, row-major, from
   * destination's position on, heap or direct, as {@link
   * #intReprTo(ByteBuffer)} does for 8-bit ones.
   *
   * @param destination the buffer that receives the integers
   */
  public void intReprTo(IntBuffer destination) {
    Objects.requireNonNull(destination, "destination");
    requireDType("intReprTo(IntBuffer)", DType.QINT32, DType.QUINT16);
    requireRoom(destination.remaining());
    destination.duplicate().put(intRepr());
  }

  private void requireRoom(int room) {
    long numel = numel();
    if (room < numel) {
      throw new QTensorException(Status.INVALID_ARGUMENT, "destination has room for " + room
          + " integers, the tensor has " + numel);
    }
  }

  /** {@return the value of a one-element tensor (SHAPE_MISMATCH otherwise)} */
  public float item() {
    return handle().item();
  }

  /**
   * {@return the dequantized value at a full index; negative entries count from the end}
   *
   * @param index one position per dim (negative counts from the end)
   */
  public float getValue(long... index) {
    Objects.requireNonNull(index, "index");
    return handle().at(index);
  }

  // ---------------------------------------------------------------- views

  /**
   * {@return the view that drops dim, at index (negative counts from the end)}
   *
   * @param dim the dim (negative counts from the end)
   * @param index the position along the dim (negative counts from the end)
   */
  public QTensor select(long dim, long index) {
    return new QTensor(handle().select(dim, index));
  }

  /**
   * {@return q[index]: select(0, index)}
   *
   * @param index the position along the dim (negative counts from the end)
   */
  public QTensor get(long index) {
    return select(0, index);
  }

  /**
   * Python's q[start:stop:step] along dim: a negative start or stop counts
   * from the end, and both are clamped to the dim as Python clamps them; a
   * negative step walks backwards. Long.MIN_VALUE / Long.MAX_VALUE reach
   * past either end (for an open end, see the overload taking Long).
   *
   * @param dim the dim (negative counts from the end)
   * @param start the first position
   * @param stop the position to stop before
   * @param step the distance from one position to the next (not 0)
   * @return a new tensor (close it)
   * @throws QTensorException OUT_OF_RANGE for a bad dim, INVALID_ARGUMENT
   *     for step 0
   */
  public QTensor slice(long dim, long start, long stop, long step) {
    return new QTensor(handle().slice(dim, start, stop, step));
  }

  /**
   * slice with step 1.
   *
   * @param dim the dim (negative counts from the end)
   * @param start the first position
   * @param stop the position to stop before
   * @return a new tensor (close it)
   */
  public QTensor slice(long dim, long start, long stop) {
    return slice(dim, start, stop, 1);
  }

  /**
   * Python's q[start:stop:step] along dim, where null is an open end, as an
   * omitted bound is in Python: q[::-1] is {@code slice(0, null, null, -1)}
   * and q[2:] is {@code slice(0, 2L, null, 1)}. Other ends are as for the
   * overload taking long.
   *
   * @param dim the dim (negative counts from the end)
   * @param start the first position
   * @param stop the position to stop before
   * @param step the distance from one position to the next (not 0)
   * @return a new tensor (close it)
   */
  public QTensor slice(long dim, Long start, Long stop, long step) {
    // The C ABI's open ends: from the first element walked, to past the last.
    long openStart = step < 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    long openStop = step < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    return slice(dim, start != null ? start : openStart, stop != null ? stop : openStop, step);
  }

  /**
   * slice with step 1, where null is an open end.
   *
   * @param dim the dim (negative counts from the end)
   * @param start the first position
   * @param stop the position to stop before
   * @return a new tensor (close it)
   */
  public QTensor slice(long dim, Long start, Long stop) {
    return slice(dim, start, stop, 1);
  }

  /**
   * {@return the view of length elements of dim from start (the range must lie inside the dim)}
   *
   * @param dim the dim (negative counts from the end)
   * @param start the first position
   * @param length the number of elements kept
   */
  public QTensor narrow(long dim, long start, long length) {
    return new QTensor(handle().narrow(dim, start, length));
  }

  /**
   * {@return the view with dims dim0 and dim1 swapped (negative counts from the end)}
   *
   * @param dim0 one dim to swap
   * @param dim1 the other dim to swap
   */
  public QTensor transpose(long dim0, long dim1) {
    return new QTensor(handle().transpose(dim0, dim1));
  }

  /**
   * {@return the view with its dims reordered; dims is a permutation of 0..dim()-1}
   *
   * @param dims a permutation of 0..dim()-1
   */
  public QTensor permute(long... dims) {
    Objects.requireNonNull(dims, "dims");
    return new QTensor(handle().permute(dims));
  }

  /**
   * {@return the same elements in row-major order under a new shape, one of whose
   * sizes may be -1 (inferred), sharing the storage (PyTorch's view)} Strides
   * that cannot be viewed so throw {@link QTensorException} with status
   * SHAPE_MISMATCH; {@link #reshape} copies then.
   *
   * @param shape the new sizes; one may be -1
   */
  public QTensor view(long... shape) {
    Objects.requireNonNull(shape, "shape");
    return new QTensor(handle().view(shape));
  }

  /**
   * {@link #view} where the strides allow it, else a view of a contiguous copy.
   *
   * @param shape the new sizes; one may be -1
   * @return a new tensor (close it)
   */
  public QTensor reshape(long... shape) {
    Objects.requireNonNull(shape, "shape");
    return new QTensor(handle().reshape(shape));
  }

  /** {@return all dims merged into one: {@code flatten(0, -1)}} */
  public QTensor flatten() {
    return flatten(0, -1);
  }

  /**
   * {@return dims startDim..endDim (negative counts from the end) merged into one, by
   * {@link #reshape}}
   *
   * @param startDim the first dim merged
   * @param endDim the last dim merged
   */
  public QTensor flatten(long startDim, long endDim) {
    return new QTensor(handle().flatten(startDim, endDim));
  }

  /**
   * {@return the view with a new size-1 dim at dim (in -dim()-1 .. dim())}
   *
   * @param dim the dim (negative counts from the end)
   */
  public QTensor unsqueeze(long dim) {
    return new QTensor(handle().unsqueeze(dim));
  }

  /** {@return the view without any of its size-1 dims} */
  public QTensor squeeze() {
    return new QTensor(handle().squeeze());
  }

  /**
   * {@return the view without dim if its size is 1, else the same view}
   *
   * @param dim the dim (negative counts from the end)
   */
  public QTensor squeeze(long dim) {
    return new QTensor(handle().squeeze(dim));
  }

  /** {@return this view if contiguous (a new handle to it), else a contiguous copy} */
  public QTensor contiguous() {
    return new QTensor(handle().contiguous());
  }

  /** A contiguous copy in a new storage (PyTorch's clone()). */
  @Override
  public QTensor clone() {
    return new QTensor(handle().clone());
  }

  // ------------------------------------------- index lists, masks, repeats

  /**
   * torch.index_select(q, dim, index): a new contiguous tensor of the slices
   * of dim at indices, in that order (repeats allowed, none gives size 0).
   * Integers are copied and each element keeps its own parameters: along a
   * per-channel axis the result's channels are the selected ones (PyTorch
   * 1.13 refuses per-channel tensors).
   *
   * @param dim the dim (negative counts from the end)
   * @param indices positions along dim, each in [0, size(dim)) (negative
   *     ones are refused, as torch refuses them)
   * @return a new tensor (close it)
   * @throws QTensorException OUT_OF_RANGE for a bad dim or index,
   *     TYPE_MISMATCH for a per-block tensor
   */
  public QTensor indexSelect(long dim, long[] indices) {
    Objects.requireNonNull(indices, "indices");
    return new QTensor(handle().index_select(dim, indices));
  }

  /**
   * q.repeat(*sizes): a new contiguous tensor with dim d tiled sizes[d]
   * times; sizes beyond dim() add leading dims. Integers are copied and
   * each element keeps its own parameters (a per-channel axis's channels
   * repeat with it).
   *
   * @param sizes how many times each dim is tiled, at least dim() of them
   * @return a new tensor (close it)
   * @throws QTensorException INVALID_ARGUMENT for fewer sizes than dims or a
   *     negative size, OUT_OF_MEMORY for a result too large
   */
  public QTensor repeat(long... sizes) {
    Objects.requireNonNull(sizes, "sizes");
    return new QTensor(handle().repeat(sizes));
  }

  /**
   * q.masked_fill_(mask, value) in this view: every element whose mask entry
   * is true becomes value quantized with that element's own parameters (as
   * {@link #fill} quantizes). Returns this.
   *
   * @param mask numel() row-major entries of this view's shape (no
   *     broadcasting)
   * @param value the float to quantize into the chosen elements
   * @return this tensor
   * @throws QTensorException SHAPE_MISMATCH if mask has not numel() entries
   *     (nothing is written then)
   */
  public QTensor maskedFillInPlace(boolean[] mask, float value) {
    Objects.requireNonNull(mask, "mask");
    handle().maskedFillArray(mask, value);
    return this;
  }

  /**
   * q.index_put_ along dim, q[..., indices, ...] = values, in this view: the
   * slice at indices[i] gets slice i of values, quantized with each
   * element's own parameters; a repeated index takes its last slice.
   * Returns this.
   *
   * @param dim the dim (negative counts from the end)
   * @param indices positions along dim (negative ones count from the end,
   *     as torch's)
   * @param values row-major floats of this view's shape with dim's size
   *     indices.length
   * @return this tensor
   * @throws QTensorException OUT_OF_RANGE for a bad dim or index,
   *     SHAPE_MISMATCH for a wrong number of values (nothing is written then)
   */
  public QTensor indexPutInPlace(long dim, long[] indices, float[] values) {
    Objects.requireNonNull(indices, "indices");
    Objects.requireNonNull(values, "values");
    handle().indexPutArray(dim, indices, values);
    return this;
  }

  // ------------------------------------------------------------ operators

  /**
   * {@return a new tensor holding this tensor's dequantized values quantized with
   * quantizer (per tensor, or per channel along one of the result's dims),
   * as quantizing {@link #dequantize()}'s floats would, in one pass}
   *
   * @param quantizer the parameters of the result
   * @throws QTensorException SHAPE_MISMATCH if a per-channel quantizer's
   *     channel count is not the size of its axis, INVALID_ARGUMENT if the
   *     axis is not a dim of the result
   */
  public QTensor requantize(Quantizer quantizer) {
    Objects.requireNonNull(quantizer, "quantizer");
    return new QTensor(handle().requantize(quantizer.handle()));
  }

  /**
   * torch.relu: max(q, zero point) on the integers; parameters kept.
   *
   * @return a new tensor (close it)
   */
  public QTensor relu() {
    return new QTensor(handle().relu());
  }

  /**
   * relu written into this view itself (PyTorch's relu_()). Returns this.
   *
   * @return this tensor
   */
  public QTensor reluInPlace() {
    handle().relu_();
    return this;
  }

  /**
   * F.leaky_relu: x &gt;= 0 ? x : x * negativeSlope on the dequantized values
   * in float32, quantized with this tensor's own parameters.
   *
   * @param negativeSlope the factor of the negative values
   * @return a new tensor (close it)
   * @throws QTensorException INVALID_ARGUMENT for a non-finite slope
   */
  public QTensor leakyRelu(float negativeSlope) {
    return new QTensor(handle().leaky_relu(negativeSlope));
  }

  /**
   * {@link #leakyRelu} written into this view itself (F.leaky_relu with
   * inplace=True). Returns this.
   *
   * @param negativeSlope the factor of the negative values
   * @return this tensor
   */
  public QTensor leakyReluInPlace(float negativeSlope) {
    handle().leaky_relu_(negativeSlope);
    return this;
  }

  /**
   * torch.ops.quantized.hardswish: x * min(max(x + 3, 0), 6) / 6 in float32,
   * quantized with scale and zeroPoint into this tensor's dtype.
   *
   * @param scale the scale of the result
   * @param zeroPoint the zero point of the result
   * @return a new tensor (close it)
   * @throws QTensorException INVALID_ARGUMENT for a bad scale or zero point
   */
  public QTensor hardswish(double scale, long zeroPoint) {
    return new QTensor(handle().hardswish(scale, zeroPoint));
  }

  /**
   * torch.sigmoid: 1 / (1 + exp(-x)) in float32, quantized with PyTorch's
   * fixed parameters for the dtype (scale 1/256; zero point 0, or -128 for
   * QINT8; QINT32: scale 2^-32).
   *
   * @return a new tensor (close it)
   */
  public QTensor sigmoid() {
    return new QTensor(handle().sigmoid());
  }

  /**
   * torch.tanh: tanh(x) in float32, quantized with PyTorch's fixed
   * parameters (scale 1/128; zero point 128 for QUINT8, else 0; QINT32:
   * scale 2^-31).
   *
   * @return a new tensor (close it)
   */
  public QTensor tanh() {
    return new QTensor(handle().tanh());
  }

  /**
   * F.max_pool2d on this (C, H, W) or (N, C, H, W) tensor: the largest
   * integer of each window, padding never winning; the result keeps this
   * tensor's parameters. Each size has one entry (both dims) or two
   * (height, width).
   *
   * @param kernelSize the window
   * @param stride the step, or null for kernelSize
   * @param padding at most half the kernel on each side
   * @param dilation the distance of the window's taps
   * @param ceilMode round the output size up
   * @return a new contiguous tensor (close it)
   * @throws QTensorException INVALID_ARGUMENT for a bad size, rank or window
   */
  public QTensor maxPool2d(long[] kernelSize, long[] stride, long[] padding, long[] dilation,
                           boolean ceilMode) {
    return new QTensor(handle().max_pool2d(sizes(kernelSize, "kernelSize"),
                                           stride == null ? new long[0] : stride,
                                           sizes(padding, "padding"),
                                           sizes(dilation, "dilation"), ceilMode));
  }

  /**
   * F.avg_pool2d: the average of each window, rounded as PyTorch's
   * quantized kernel does (docs/numerics.md, "Pooling"); the result keeps
   * this tensor's parameters.
   *
   * @param kernelSize the window (one or two entries)
   * @param stride the step, or null for kernelSize
   * @param padding at most half the kernel on each side
   * @param ceilMode round the output size up
   * @param countIncludePad divide by the window's size with its padding
   * @param divisorOverride the divisor, or 0 for none
   * @return a new contiguous tensor (close it)
   * @throws QTensorException INVALID_ARGUMENT for a bad size, rank or window
   */
  public QTensor avgPool2d(long[] kernelSize, long[] stride, long[] padding, boolean ceilMode,
                           boolean countIncludePad, long divisorOverride) {
    return new QTensor(handle().avg_pool2d(sizes(kernelSize, "kernelSize"),
                                           stride == null ? new long[0] : stride,
                                           sizes(padding, "padding"), ceilMode, countIncludePad,
                                           divisorOverride));
  }

  /**
   * F.adaptive_avg_pool2d: output row i averages input rows floor(i * H /
   * out) to ceil((i + 1) * H / out), columns alike; the result keeps this
   * tensor's parameters.
   *
   * @param outputSize one entry (both dims) or two (height, width)
   * @return a new contiguous tensor (close it)
   * @throws QTensorException INVALID_ARGUMENT for a bad size or rank
   */
  public QTensor adaptiveAvgPool2d(long... outputSize) {
    return new QTensor(handle().adaptive_avg_pool2d(sizes(outputSize, "outputSize")));
  }

  private static long[] sizes(long[] values, String name) {
    return Objects.requireNonNull(values, name);
  }

  /**
   * F.relu6: min(max(q, zero point), quantize(6)); parameters kept.
   *
   * @return a new tensor (close it)
   */
  public QTensor relu6() {
    return new QTensor(handle().relu6());
  }

  /**
   * {@link #relu6} written into this view itself. Returns this.
   *
   * @return this tensor
   */
  public QTensor relu6InPlace() {
    handle().relu6_();
    return this;
  }

  /**
   * torch.clamp(q, min, max): the integers clamped to min and max quantized
   * with each element's own parameters (infinities: no bound); max wins
   * where min &gt; max. Parameters kept.
   *
   * @param min the lower bound (negative infinity: none)
   * @param max the upper bound (positive infinity: none)
   * @return a new tensor (close it)
   * @throws QTensorException INVALID_ARGUMENT for a NaN bound
   */
  public QTensor clamp(float min, float max) {
    return new QTensor(handle().clamp(min, max));
  }

  /**
   * {@link #clamp} written into this view itself (F.hardtanh with
   * inplace=True). Returns this.
   *
   * @param min the lower bound (negative infinity: none)
   * @param max the upper bound (positive infinity: none)
   * @return this tensor
   */
  public QTensor clampInPlace(float min, float max) {
    handle().clamp_(min, max);
    return this;
  }

  /**
   * torch.ops.quantized.add(this, other, scale, zeroPoint): the sum with
   * NumPy broadcasting, each input dequantized with its own parameters, the
   * float32 sum quantized with scale and zeroPoint into this tensor's dtype.
   *
   * @param other the second operand, broadcast with this tensor
   * @param scale the scale of the result
   * @param zeroPoint the zero point of the result
   * @return a new tensor (close it)
   * @throws QTensorException SHAPE_MISMATCH for shapes that do not
   *     broadcast, INVALID_ARGUMENT for a bad scale or zero point
   */
  public QTensor add(QTensor other, double scale, long zeroPoint) {
    return new QTensor(handle().add(other(other), scale, zeroPoint));
  }

  /**
   * {@link #add} with max(sum, 0) before quantizing (add_relu).
   *
   * @param other the second operand, broadcast with this tensor
   * @param scale the scale of the result
   * @param zeroPoint the zero point of the result
   * @return a new tensor (close it)
   */
  public QTensor addRelu(QTensor other, double scale, long zeroPoint) {
    return new QTensor(handle().add_relu(other(other), scale, zeroPoint));
  }

  /**
   * torch.ops.quantized.mul(this, other, scale, zeroPoint): PyTorch's
   * integer formula, zeroPoint + round((qa - za) * (qb - zb) * sa * sb /
   * scale), with NumPy broadcasting, in this tensor's dtype.
   *
   * @param other the second operand, broadcast with this tensor
   * @param scale the scale of the result
   * @param zeroPoint the zero point of the result
   * @return a new tensor (close it)
   * @throws QTensorException as {@link #add}
   */
  public QTensor mul(QTensor other, double scale, long zeroPoint) {
    return new QTensor(handle().mul(other(other), scale, zeroPoint));
  }

  /**
   * {@link #mul}, then max(q, zeroPoint) (mul_relu).
   *
   * @param other the second operand, broadcast with this tensor
   * @param scale the scale of the result
   * @param zeroPoint the zero point of the result
   * @return a new tensor (close it)
   */
  public QTensor mulRelu(QTensor other, double scale, long zeroPoint) {
    return new QTensor(handle().mul_relu(other(other), scale, zeroPoint));
  }

  /**
   * torch.ops.quantized.add.out(this, other, out): {@link #add} with out's
   * scale and zero point, written into the view out (which may be this or
   * other). Returns out.
   *
   * @param other the second operand, broadcast with this tensor
   * @param out the view that receives the result
   * @return out
   * @throws QTensorException INVALID_ARGUMENT for a per-channel out,
   *     TYPE_MISMATCH for an out of another dtype, SHAPE_MISMATCH for an out
   *     not of the broadcast shape
   */
  public QTensor add(QTensor other, QTensor out) {
    NativeModule.add_out(output(out), handle(), other(other));
    return out;
  }

  /**
   * add_relu.out: {@link #addRelu} into out, as {@link #add(QTensor, QTensor)}.
   *
   * @param other the second operand, broadcast with this tensor
   * @param out the view that receives the result
   * @return out
   */
  public QTensor addRelu(QTensor other, QTensor out) {
    NativeModule.add_relu_out(output(out), handle(), other(other));
    return out;
  }

  /**
   * mul.out: {@link #mul} into out, as {@link #add(QTensor, QTensor)}.
   *
   * @param other the second operand, broadcast with this tensor
   * @param out the view that receives the result
   * @return out
   */
  public QTensor mul(QTensor other, QTensor out) {
    NativeModule.mul_out(output(out), handle(), other(other));
    return out;
  }

  /**
   * mul_relu.out: {@link #mulRelu} into out, as {@link #add(QTensor, QTensor)}.
   *
   * @param other the second operand, broadcast with this tensor
   * @param out the view that receives the result
   * @return out
   */
  public QTensor mulRelu(QTensor other, QTensor out) {
    NativeModule.mul_relu_out(output(out), handle(), other(other));
    return out;
  }

  /**
   * torch.ops.quantized.add_scalar(this, other): the output parameters
   * derived as PyTorch's (the zero point moves by round(other / scale)
   * while it stays in range; beyond, the range stretches and the integers
   * are requantized). Per-tensor tensors only.
   *
   * @param other the float added to every element
   * @return a new tensor (close it)
   * @throws QTensorException INVALID_ARGUMENT for a per-channel tensor, a
   *     non-finite other, or other / scale past the int32 range
   */
  public QTensor addScalar(double other) {
    return new QTensor(handle().add_scalar(other));
  }

  /**
   * add_scalar_relu: {@link #addScalar}, then max(q, zero point).
   *
   * @param other the float added to every element
   * @return a new tensor (close it)
   */
  public QTensor addScalarRelu(double other) {
    return new QTensor(handle().add_scalar_relu(other));
  }

  /**
   * torch.ops.quantized.mul_scalar(this, other): scale |other| * scale, the
   * integers kept (other &gt; 0), mirrored (other &lt; 0) or zeroed with
   * scale 1 (other == 0). Per-tensor tensors only.
   *
   * @param other the float every element is multiplied by
   * @return a new tensor (close it)
   * @throws QTensorException INVALID_ARGUMENT for a per-channel tensor, a
   *     non-finite other, or a scale that underflows or overflows
   */
  public QTensor mulScalar(double other) {
    return new QTensor(handle().mul_scalar(other));
  }

  /**
   * mul_scalar_relu: {@link #mulScalar}, then max(q, zero point).
   *
   * @param other the float every element is multiplied by
   * @return a new tensor (close it)
   */
  public QTensor mulScalarRelu(double other) {
    return new QTensor(handle().mul_scalar_relu(other));
  }

  /**
   * torch.cat of quantized tensors: the tensors one after another along dim
   * (negative counts from the end), with the first tensor's parameters; a
   * tensor with other parameters or another dtype is requantized.
   *
   * @param tensors the tensors to join, in order
   * @param dim the dim (negative counts from the end)
   * @return a new tensor (close it)
   * @throws QTensorException SHAPE_MISMATCH when ranks or sizes off dim
   *     differ, OUT_OF_RANGE for dim, INVALID_ARGUMENT for no tensors, a
   *     0-dim one, or a first tensor per channel along dim
   */
  public static QTensor cat(QTensor[] tensors, long dim) {
    return join(tensors, vector -> NativeModule.cat(vector, dim));
  }

  /**
   * torch.ops.quantized.cat: {@link #cat(QTensor[], long)} into quantizer's
   * parameters.
   *
   * @param tensors the tensors to join, in order
   * @param dim the dim (negative counts from the end)
   * @param quantizer the parameters of the result
   * @return a new tensor (close it)
   */
  public static QTensor cat(QTensor[] tensors, long dim, Quantizer quantizer) {
    Objects.requireNonNull(quantizer, "quantizer");
    return join(tensors, vector -> NativeModule.cat(vector, dim, quantizer.handle()));
  }

  /**
   * torch.ops.quantized.cat_relu: cat, then max(q, zero point).
   *
   * @param tensors the tensors to join, in order
   * @param dim the dim (negative counts from the end)
   * @param quantizer the parameters of the result
   * @return a new tensor (close it)
   */
  public static QTensor catRelu(QTensor[] tensors, long dim, Quantizer quantizer) {
    Objects.requireNonNull(quantizer, "quantizer");
    return join(tensors, vector -> NativeModule.cat_relu(vector, dim, quantizer.handle()));
  }

  /**
   * torch.ops.quantized.cat_out: {@link #cat(QTensor[], long)} with out's
   * parameters, written into the view out. Returns out.
   *
   * @param tensors the tensors to join, in order
   * @param dim the dim (negative counts from the end)
   * @param out the view that receives the result
   * @return out
   * @throws QTensorException as {@link #cat(QTensor[], long)}, and
   *     SHAPE_MISMATCH for an out not of the joined shape
   */
  public static QTensor cat(QTensor[] tensors, long dim, QTensor out) {
    NativeTensor target = output(out);
    return withVector(tensors, vector -> {
      NativeModule.cat_out(target, vector, dim);
      return out;
    });
  }

  /**
   * torch.ops.quantized.cat_relu_out: cat into out, then max(q, zero point).
   *
   * @param tensors the tensors to join, in order
   * @param dim the dim (negative counts from the end)
   * @param out the view that receives the result
   * @return out
   */
  public static QTensor catRelu(QTensor[] tensors, long dim, QTensor out) {
    NativeTensor target = output(out);
    return withVector(tensors, vector -> {
      NativeModule.cat_relu_out(target, vector, dim);
      return out;
    });
  }

  /**
   * torch.ops.quantized.linear(this, packed, scale, zeroPoint): this tensor
   * [..., inFeatures] (QUINT8, or QINT8, per tensor) times the packed
   * weight plus the bias, exact in int32 and requantized as PyTorch's
   * qnnpack engine does, into this dtype with scale and zeroPoint.
   *
   * @param packed the layer's packed weight and bias
   * @param scale the scale of the result
   * @param zeroPoint the zero point of the result
   * @return a new tensor [..., outFeatures] (close it)
   * @throws QTensorException SHAPE_MISMATCH when the last dim is not
   *     inFeatures; TYPE_MISMATCH for QINT32; INVALID_ARGUMENT for a
   *     per-channel tensor or a bad scale or zero point
   */
  public QTensor linear(PackedLinear packed, double scale, long zeroPoint) {
    return new QTensor(NativeModule.linear(handle(), packed(packed), scale, zeroPoint));
  }

  /**
   * torch.ops.quantized.linear_relu: {@link #linear}, with outputs below
   * zeroPoint raised to it.
   *
   * @param packed the layer's packed weight and bias
   * @param scale the scale of the result
   * @param zeroPoint the zero point of the result
   * @return a new tensor [..., outFeatures] (close it)
   */
  public QTensor linearRelu(PackedLinear packed, double scale, long zeroPoint) {
    return new QTensor(NativeModule.linear_relu(handle(), packed(packed), scale, zeroPoint));
  }

  private static NativePackedLinear packed(PackedLinear packed) {
    return Objects.requireNonNull(packed, "packed").handle();
  }

  /**
   * torch.ops.quantized.conv2d(this, packed, scale, zeroPoint): this tensor
   * [N, inChannels, H, W] (QUINT8, or QINT8, per tensor) convolved with the
   * packed weight plus the bias, exact in int32 and requantized as PyTorch's
   * qnnpack engine does, into this dtype with scale and zeroPoint.
   *
   * @param packed the convolution's packed weight, bias and settings
   * @param scale the scale of the result
   * @param zeroPoint the zero point of the result
   * @return a new tensor [N, outChannels, oH, oW] with channels-last strides
   *     (close it)
   * @throws QTensorException SHAPE_MISMATCH for another rank or channel
   *     count, or a kernel larger than the padded input; TYPE_MISMATCH for
   *     QINT32; INVALID_ARGUMENT for a per-channel tensor or a bad scale or
   *     zero point
   */
  public QTensor conv2d(PackedConv2d packed, double scale, long zeroPoint) {
    return new QTensor(NativeModule.conv2d(handle(), packed(packed), scale, zeroPoint));
  }

  /**
   * torch.ops.quantized.conv2d_relu: {@link #conv2d}, with outputs below
   * zeroPoint raised to it.
   *
   * @param packed the convolution's packed weight, bias and settings
   * @param scale the scale of the result
   * @param zeroPoint the zero point of the result
   * @return a new tensor [N, outChannels, oH, oW] (close it)
   */
  public QTensor conv2dRelu(PackedConv2d packed, double scale, long zeroPoint) {
    return new QTensor(NativeModule.conv2d_relu(handle(), packed(packed), scale, zeroPoint));
  }

  private static NativePackedConv2d packed(PackedConv2d packed) {
    return Objects.requireNonNull(packed, "packed").handle();
  }

  private static QTensor join(QTensor[] tensors,
                              java.util.function.Function<TensorVector, NativeTensor> cat) {
    return withVector(tensors, vector -> new QTensor(cat.apply(vector)));
  }

  // body applied to a native vector of the tensors' handles, freed after.
  private static QTensor withVector(QTensor[] tensors,
                                    java.util.function.Function<TensorVector, QTensor> body) {
    Objects.requireNonNull(tensors, "tensors");
    TensorVector vector = new TensorVector();
    try {
      for (int i = 0; i < tensors.length; ++i) {
        vector.add(Objects.requireNonNull(tensors[i], "tensors[" + i + "]").handle());
      }
      return body.apply(vector);
    } finally {
      vector.delete();
    }
  }

  private static NativeTensor output(QTensor out) {
    return Objects.requireNonNull(out, "out").handle();
  }

  private static NativeTensor other(QTensor other) {
    return Objects.requireNonNull(other, "other").handle();
  }

  /**
   * {@return a second handle to this same view (no copy: same storage, shape and
   * strides), to be closed on its own: closing either handle never affects
   * the other}
   */
  public QTensor share() {
    return new QTensor(handle().share());
  }

  // --------------------------------------------------------------- writes

  /**
   * q[index] = value at a full index (one entry per dim; negative entries
   * count from the end): quantizes value with the element's own parameters.
   *
   * @param index one position per dim (negative counts from the end)
   * @param value the float to quantize and store
   * @throws QTensorException OUT_OF_RANGE if index has not dim() entries or
   *     one lies outside its dim
   */
  public void setValue(long[] index, float value) {
    Objects.requireNonNull(index, "index");
    handle().set(index, value);
  }

  /**
   * Stores value, quantized, in every element of this view.
   *
   * @param value the float to quantize into every element
   * @return this tensor
   */
  public QTensor fill(float value) {
    handle().fill_(value);
    return this;
  }

  /**
   * PyTorch's copy_(source): equal shapes and dtypes. A whole contiguous
   * tensor takes source's integers and quantizer; a partial view requantizes
   * source's values into its own parameters. Returns this tensor.
   *
   * @param source the tensor to copy from
   * @return this tensor
   */
  public QTensor copyFrom(QTensor source) {
    Objects.requireNonNull(source, "source");
    handle().copy_(source.handle());
    return this;
  }

  /**
   * Quantizes numel() row-major floats into this view with its parameters
   * (SHAPE_MISMATCH unless values has numel() elements). Returns this tensor.
   *
   * @param values numel() floats, row-major
   * @return this tensor
   */
  public QTensor copyFrom(float[] values) {
    Objects.requireNonNull(values, "values");
    handle().copyFromArray(values);
    return this;
  }

  /**
   * copyFrom of the buffer's remaining() floats, from its position (left
   * where it was); a direct buffer in native byte order is read in place.
   *
   * @param values numel() floats, row-major
   * @return this tensor
   */
  public QTensor copyFrom(FloatBuffer values) {
    Objects.requireNonNull(values, "values");
    if (!readsInPlace(values)) {
      return copyFrom(toArray(values));
    }
    handle().copyFromBuffer(values, values.position(), values.remaining());
    return this;
  }

  // ------------------------------------------------------------- printing

  /** The tensor as PyTorch 1.13 prints it, "torch." written "qtensor."; "QTensor(closed)" once closed. */
  @Override
  public String toString() {
    if (ref.isClosed()) {
      return "QTensor(closed)";
    }
    return handle().to_string();
  }

  // ------------------------------------------------------- serialization

  /** {@return the file format's bytes (proto/qtensor.proto); a view writes its own elements} */
  public byte[] serialize() {
    return handle().serializeBytes();
  }

  /**
   * {@return a new contiguous tensor from serialize()'s bytes (CORRUPT_DATA for bad input)}
   *
   * @param data bytes that serialize() gave
   */
  public static QTensor deserialize(byte[] data) {
    Objects.requireNonNull(data, "data");
    return new QTensor(NativeTensor.deserializeBytes(data));
  }

  /**
   * Writes the tensor to a file (replaced if it exists; IO if it cannot be
   * written). IllegalArgumentException for a path holding U+0000 or an
   * unpaired surrogate.
   *
   * @param path the file to write
   */
  public void save(String path) {
    Objects.requireNonNull(path, "path");
    handle().save(path);
  }

  /**
   * save(String) of the path.
   *
   * @param path the file to write
   */
  public void save(Path path) {
    Objects.requireNonNull(path, "path");
    save(path.toString());
  }

  /**
   * Reads a tensor file (IO if it cannot be read, CORRUPT_DATA if it is not
   * one). IllegalArgumentException for a path holding U+0000 or an unpaired
   * surrogate.
   *
   * @param path the file to read
   * @return a new tensor (close it)
   */
  public static QTensor load(String path) {
    Objects.requireNonNull(path, "path");
    return new QTensor(NativeTensor.load(path));
  }

  /**
   * load(String) of the path.
   *
   * @param path the file to read
   * @return a new tensor (close it)
   */
  public static QTensor load(Path path) {
    Objects.requireNonNull(path, "path");
    return load(path.toString());
  }

  // -------------------------------------------------------------- closing

  /** {@return true once close() was called} */
  public boolean isClosed() {
    return ref.isClosed();
  }

  /** Frees this handle (other views of the storage stay valid); closing again does nothing. */
  @Override
  public void close() {
    ref.close();
  }

  // -------------------------------------------------------------- helpers

  private void requireDType(String what, DType... accepted) {
    DType actual = dtype();
    if (!Arrays.asList(accepted).contains(actual)) {
      String wanted = Arrays.stream(accepted).map(DType::name).collect(Collectors.joining(" or "));
      throw new QTensorException(Status.TYPE_MISMATCH,
                                 what + " needs a " + wanted + " tensor, got " + actual);
    }
  }

  private static void requireDType(Quantizer quantizer, String arrayType, DType... accepted) {
    Objects.requireNonNull(quantizer, "quantizer");
    DType actual = quantizer.dtype();
    if (!Arrays.asList(accepted).contains(actual)) {
      throw new QTensorException(Status.TYPE_MISMATCH, "fromIntRepr(" + arrayType
          + ") does not take a " + actual + " quantizer (integers are byte[] for QINT8 and QINT4,"
          + " short[] for QUINT8, QUINT4X2, QUINT2X4, QUINT4 and QINT16, int[] for QINT32 and"
          + " QUINT16)");
    }
  }

  // The message of the native check (QtRequireRoom in qtensor_java.i).
  private static QTensorException destinationTooShort(long capacity, long numel) {
    return new QTensorException(Status.INVALID_ARGUMENT, "the destination holds " + capacity
        + " elements, the tensor has " + numel);
  }

  private static boolean readsInPlace(FloatBuffer buffer) {
    return buffer.isDirect() && buffer.order() == ByteOrder.nativeOrder();
  }

  private static float[] toArray(FloatBuffer buffer) {
    float[] values = new float[buffer.remaining()];
    buffer.duplicate().get(values);
    return values;
  }
}
