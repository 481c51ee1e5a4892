package io.qtensor;

/** Which formula quantizes floats into a quantizer's integers. */
public enum Rounding {
  /** x * (1 / scale), half to even, NaN to the zero point (the default, PyTorch's). */
  PYTORCH(qt_rounding.QT_ROUNDING_PYTORCH),
  /** x / scale in float32, half to even, NaN to the dtype's minimum (ONNX Runtime's). */
  ONNX(qt_rounding.QT_ROUNDING_ONNX),
  /**
   * llama.cpp's Q8_0 / Q4_0 value formulas with each block's d (QINT8 with zero points 0, QUINT4
   * with zero points 8; float16 scales that may be 0 or negative).
   */
  GGUF(qt_rounding.QT_ROUNDING_GGUF);

  private final int code;

  Rounding(int code) {
    this.code = code;
  }

  /** {@return the library's name of the rounding: "pytorch", "onnx", "gguf"} */
  public String libraryName() {
    return NativeModule.rounding_name(code);
  }

  int code() {
    return code;
  }

  static Rounding fromCode(int code) {
    for (Rounding rounding : values()) {
      if (rounding.code == code) {
        return rounding;
      }
    }
    throw new QTensorException(Status.INTERNAL, "unknown rounding code " + code);
  }
}
