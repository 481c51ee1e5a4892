package io.qtensor;

/**
 * The unquantized float types a bundle's float entries hold (GGUF's F32, F16
 * and BF16 tensors), kept bit for bit as little-endian bytes.
 */
public enum FloatDType {
  /** IEEE binary32, 4 bytes per value. */
  FLOAT32(qt_float_dtype.QT_FLOAT32, 4),
  /** IEEE binary16, 2 bytes per value. */
  FLOAT16(qt_float_dtype.QT_FLOAT16, 2),
  /** bfloat16 (the top half of a float32), 2 bytes per value. */
  BFLOAT16(qt_float_dtype.QT_BFLOAT16, 2);

  private final int code;
  private final int size;

  FloatDType(int code, int size) {
    this.code = code;
    this.size = size;
  }

  /** {@return the library's name of the type: "float32", "float16", "bfloat16"} */
  public String libraryName() {
    return NativeModule.float_dtype_name(code);
  }

  /** {@return the bytes one value takes: 4 or 2} */
  public int size() {
    return size;
  }

  int code() {
    return code;
  }

  static FloatDType fromCode(int code) {
    for (FloatDType type : values()) {
      if (type.code == code) {
        return type;
      }
    }
    throw new QTensorException(Status.INTERNAL, "unknown float dtype code " + code);
  }
}
