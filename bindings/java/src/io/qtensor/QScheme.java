package io.qtensor;

/** Quantization schemes. */
public enum QScheme {
  /** One scale and zero point for the whole tensor. */
  PER_TENSOR_AFFINE(qt_qscheme.QT_PER_TENSOR_AFFINE),
  /** A scale and zero point per index of one axis. */
  PER_CHANNEL_AFFINE(qt_qscheme.QT_PER_CHANNEL_AFFINE),
  /** A scale and zero point per block of consecutive elements along one axis. */
  PER_BLOCK_AFFINE(qt_qscheme.QT_PER_BLOCK_AFFINE),
  /** PyTorch's: a float32 scale and float32 zero point per index of one axis. */
  PER_CHANNEL_AFFINE_FLOAT_QPARAMS(qt_qscheme.QT_PER_CHANNEL_AFFINE_FLOAT_QPARAMS);

  private final int code;

  QScheme(int code) {
    this.code = code;
  }

  /** {@return the name PyTorch gives the scheme: "per_tensor_affine", "per_channel_affine",
   * "per_block_affine", "per_channel_affine_float_qparams"} */
  public String torchName() {
    return NativeModule.qscheme_name(code);
  }

  static QScheme fromCode(int code) {
    for (QScheme scheme : values()) {
      if (scheme.code == code) {
        return scheme;
      }
    }
    throw new QTensorException(Status.INTERNAL, "unknown qscheme code " + code);
  }
}
