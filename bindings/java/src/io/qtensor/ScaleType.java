package io.qtensor;

/** The floating-point type a quantizer's scales are kept in; no result depends on it. */
public enum ScaleType {
  /** Any double (the default, PyTorch's). */
  FLOAT64(qt_scale_type.QT_SCALE_FLOAT64),
  /** float32 values (ONNX's usual scales). */
  FLOAT32(qt_scale_type.QT_SCALE_FLOAT32),
  /** IEEE half values (GGUF's block scales, ONNX's float16). */
  FLOAT16(qt_scale_type.QT_SCALE_FLOAT16),
  /** bfloat16 values. */
  BFLOAT16(qt_scale_type.QT_SCALE_BFLOAT16);

  private final int code;

  ScaleType(int code) {
    this.code = code;
  }

  /** {@return the library's name of the type: "float64", "float32", "float16", "bfloat16"} */
  public String libraryName() {
    return NativeModule.scale_type_name(code);
  }

  int code() {
    return code;
  }

  static ScaleType fromCode(int code) {
    for (ScaleType type : values()) {
      if (type.code == code) {
        return type;
      }
    }
    throw new QTensorException(Status.INTERNAL, "unknown scale type code " + code);
  }
}
