package io.qtensor;

import java.util.Objects;

/**
 * A quantized linear layer's weight and bias packed once
 * (torch.ops.quantized.linear_prepack's packed params), applied by
 * {@link QTensor#linear} and {@link QTensor#linearRelu}. Immutable: many
 * threads may use one at once.
 *
 * <p>Owns native memory: close it (try-with-resources); closing twice does
 * nothing, and any other use after close throws IllegalStateException.
 */
public final class PackedLinear implements AutoCloseable {
  private final NativeRef<NativePackedLinear> ref;

  private PackedLinear(NativePackedLinear proxy) {
    ref = new NativeRef<>("PackedLinear", proxy, NativePackedLinear.getCPtr(proxy),
                          NativeModuleJNI::delete_NativePackedLinear);
  }

  /**
   * torch.ops.quantized.linear_prepack(weight, bias): packs a copy of the
   * weight (later writes to its storage do not reach the packed weights).
   *
   * @param weight QINT8 [outFeatures, inFeatures], per tensor or per channel
   *     on dim 0
   * @param bias outFeatures finite floats, or null for none
   * @return the packed weights (close them)
   * @throws QTensorException TYPE_MISMATCH for another dtype; SHAPE_MISMATCH
   *     for a weight that is not 2-D or a bias of another length (an empty
   *     one included);
   *     INVALID_ARGUMENT for channels on dim 1, inFeatures above 65536 or a
   *     bias that is not finite
   */
  public static PackedLinear prepack(QTensor weight, float[] bias) {
    NativeTensor tensor = Objects.requireNonNull(weight, "weight").handle();
    // The library reads an empty bias as none; here it is one of the wrong length.
    if (bias != null && bias.length == 0 && tensor.dim() == 2 && tensor.sizes()[0] != 0) {
      throw new QTensorException(Status.SHAPE_MISMATCH,
                                 "linear: the bias has 0 values for out_features "
                                     + tensor.sizes()[0]);
    }
    return new PackedLinear(NativePackedLinear.prepackArray(tensor, bias));
  }

  NativePackedLinear handle() {
    return ref.get();
  }

  /** {@return the packed weight as a new contiguous QINT8 tensor (close it)} */
  public QTensor weight() {
    return new QTensor(handle().weight());
  }

  /** {@return a copy of the bias, or null for a layer packed without one} */
  public float[] bias() {
    float[] values = handle().biasArray();
    return values.length == 0 ? null : values;
  }

  /** {@return in_features: the weight's dim 1} */
  public long inFeatures() {
    return handle().in_features();
  }

  /** {@return out_features: the weight's dim 0} */
  public long outFeatures() {
    return handle().out_features();
  }

  /**
   * torch.ops.quantized.linear_dynamic(x, this, reduceRange): float data of
   * the given shape [..., inFeatures] quantized per call to QUINT8 with
   * parameters from its min and max (as
   * {@link QTensor#quantizePerTensorDynamic}), times the packed weight, plus
   * the bias, in float with qnnpack's formula bit for bit.
   *
   * @param data the floats, row-major
   * @param shape the sizes of the dims, the last one inFeatures
   * @param reduceRange quantize the input to 7 bits
   * @return the floats [..., outFeatures], row-major
   * @throws QTensorException SHAPE_MISMATCH when the last dim is not
   *     inFeatures or data has not the shape's number of elements;
   *     INVALID_ARGUMENT for an empty shape or a NaN or an infinity
   */
  public float[] linearDynamic(float[] data, long[] shape, boolean reduceRange) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    return NativeModule.linear_dynamic_array(data, shape, handle(), reduceRange);
  }

  /**
   * {@link #linearDynamic(float[], long[], boolean)} without reduceRange.
   *
   * @param data the floats, row-major
   * @param shape the sizes of the dims, the last one inFeatures
   * @return the floats [..., outFeatures], row-major
   */
  public float[] linearDynamic(float[] data, long[] shape) {
    return linearDynamic(data, shape, false);
  }

  /**
   * For example {@code PackedLinear(inFeatures=3, outFeatures=4)};
   * {@code PackedLinear(closed)} once closed.
   */
  @Override
  public String toString() {
    if (ref.isClosed()) {
      return "PackedLinear(closed)";
    }
    NativePackedLinear proxy = handle();
    return "PackedLinear(inFeatures=" + proxy.in_features() + ", outFeatures="
        + proxy.out_features() + ")";
  }

  /** {@return true once close() was called} */
  public boolean isClosed() {
    return ref.isClosed();
  }

  /** Frees the native packed weights; closing again does nothing. */
  @Override
  public void close() {
    ref.close();
  }
}
