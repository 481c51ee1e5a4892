package io.qtensor;

/**
 * Quantized integer types. Java has no unsigned byte, so the integers of a
 * {@code QUINT8} tensor travel as {@code short} values 0..255.
 */
public enum DType {
  /** int8 integers, -128..127; Java type {@code byte}. */
  QINT8(qt_dtype.QT_QINT8),
  /** uint8 integers, 0..255; Java type {@code short}. */
  QUINT8(qt_dtype.QT_QUINT8),
  /** int32 integers; Java type {@code int}. */
  QINT32(qt_dtype.QT_QINT32);

  private final int code;

  DType(int code) {
    this.code = code;
  }

  int code() {
    return code;
  }

  /** {@return the name PyTorch gives the dtype: "qint8", "quint8", "qint32"} */
  public String torchName() {
    return NativeModule.dtype_name(code);
  }

  /** {@return the size of one integer in bytes: 1, 1, 4} */
  public int itemSize() {
    return Math.toIntExact(NativeModule.dtype_size(code));
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
