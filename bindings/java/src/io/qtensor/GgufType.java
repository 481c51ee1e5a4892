package io.qtensor;

/**
 * A GGUF block type qtensor holds as tensors: 32 values per block along the last dim with one
 * float16 scale d ({@link Quantizer#gguf}, {@link QTensor#quantizeGguf}).
 */
public enum GgufType {
  /** QUINT4 values q, zero point 8: (q - 8) * d. */
  Q4_0(qt_gguf_type.QT_GGUF_Q4_0),
  /** QINT8 values q, zero point 0: q * d. */
  Q8_0(qt_gguf_type.QT_GGUF_Q8_0);

  private final int code;

  GgufType(int code) {
    this.code = code;
  }

  int code() {
    return code;
  }
}
