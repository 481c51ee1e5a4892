package io.qtensor;

/**
 * Quantized integer types. Java has no unsigned types, so the integers of a
 * {@code QUINT8} tensor travel as {@code short} values 0..255 and those of a
 * {@code QUINT16} tensor as {@code int} values 0..65535. The operators
 * compute on QINT8, QUINT8 and QINT32; the storage dtypes (QINT16, QUINT16
 * and the packed QUINT4X2, QUINT2X4, QINT4, QUINT4, several values per byte)
 * are kept, viewed, converted and saved, and are requantized to compute.
 */
public enum DType {
  /** int8 integers, -128..127; Java type {@code byte}. */
  QINT8(qt_dtype.QT_QINT8),
  /** uint8 integers, 0..255; Java type {@code short}. */
  QUINT8(qt_dtype.QT_QUINT8),
  /** int32 integers; Java type {@code int}. */
  QINT32(qt_dtype.QT_QINT32),
  /** int16 integers (ONNX's int16); Java type {@code short}. */
  QINT16(qt_dtype.QT_QINT16),
  /** uint16 integers, 0..65535 (ONNX's uint16); Java type {@code int}. */
  QUINT16(qt_dtype.QT_QUINT16),
  /** PyTorch's quint4x2: 4-bit, 0..15, two per byte; Java type {@code short}. */
  QUINT4X2(qt_dtype.QT_QUINT4X2),
  /** PyTorch's quint2x4: 2-bit, 0..3, four per byte; Java type {@code short}. */
  QUINT2X4(qt_dtype.QT_QUINT2X4),
  /** ONNX's int4: 4-bit, -8..7, two per byte; Java type {@code byte}. */
  QINT4(qt_dtype.QT_QINT4),
  /** ONNX's uint4: 4-bit, 0..15, two per byte; Java type {@code short}. */
  QUINT4(qt_dtype.QT_QUINT4);

  private final int code;

  DType(int code) {
    this.code = code;
  }

  int code() {
    return code;
  }

  /** {@return the name PyTorch gives the dtype: "qint8", "quint8", "qint32", "quint4x2", ...} */
  public String torchName() {
    return NativeModule.dtype_name(code);
  }

  /** {@return the size of one integer of intRepr in bytes: 1, 2 or 4 (1 for the packed dtypes)} */
  public int itemSize() {
    return Math.toIntExact(NativeModule.dtype_size(code));
  }

  /** {@return the bits one value takes in storage: 2, 4, 8, 16 or 32 (4 for QUINT4X2)} */
  public int bits() {
    return Math.toIntExact(NativeModule.dtype_bits(code));
  }

  static DType fromCode(int code) {
    for (DType dtype : values()) {
      if (dtype.code == code) {
        return dtype;
      }
    }
    throw new QTensorException(Status.INTERNAL, "unknown dtype code " + code);
  }
}
