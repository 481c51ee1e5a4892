package io.qtensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A quantized 2-D convolution's weight, bias and settings packed once
 * (torch.ops.quantized.conv2d_prepack's packed params), applied by
 * {@link QTensor#conv2d} and {@link QTensor#conv2dRelu}. Immutable: many
 * threads may use one at once.
 *
 * <p>Owns native memory: close it (try-with-resources); closing twice does
 * nothing, and any other use after close throws IllegalStateException.
 */
public final class PackedConv2d implements AutoCloseable {
  private final NativeRef<NativePackedConv2d> ref;

  private PackedConv2d(NativePackedConv2d proxy) {
    ref = new NativeRef<>("PackedConv2d", proxy, NativePackedConv2d.getCPtr(proxy),
                          NativeModuleJNI::delete_NativePackedConv2d);
  }

  /**
   * torch.ops.quantized.conv2d_prepack(weight, bias, stride, padding,
   * dilation, groups): packs a copy of the weight with the settings.
   *
   * @param weight QINT8 [outChannels, inChannels / groups, kH, kW], per
   *     tensor or per channel on dim 0
   * @param bias outChannels finite floats, or null for none
   * @param stride {height, width}, each at least 1
   * @param padding {height, width}, each at least 0 (rows and columns of the
   *     input's zero point)
   * @param dilation {height, width}, each at least 1
   * @param groups at least 1, dividing outChannels (depthwise: inChannels)
   * @return the packed weights (close them)
   * @throws QTensorException TYPE_MISMATCH for another dtype; SHAPE_MISMATCH
   *     for a weight that is not 4-D or a bias of another length (an empty
   *     one included); INVALID_ARGUMENT for a setting out of range or not of
   *     2 values, or a bias that is not finite
   */
  public static PackedConv2d prepack(QTensor weight, float[] bias, long[] stride, long[] padding,
                                     long[] dilation, long groups) {
    NativeTensor tensor = Objects.requireNonNull(weight, "weight").handle();
    Objects.requireNonNull(stride, "stride");
    Objects.requireNonNull(padding, "padding");
    Objects.requireNonNull(dilation, "dilation");
    return new PackedConv2d(
        NativePackedConv2d.prepackArray(tensor, bias, stride, padding, dilation, groups));
  }

  NativePackedConv2d handle() {
    return ref.get();
  }

  /** {@return the packed weight as a new contiguous QINT8 tensor (close it)} */
  public QTensor weight() {
    return new QTensor(handle().weight());
  }

  /** {@return a copy of the bias, or null for a convolution packed without one} */
  public float[] bias() {
    float[] values = handle().biasArray();
    return values.length == 0 ? null : values;
  }

  /** {@return the stride: {height, width}} */
  public long[] stride() {
    return Arrays.copyOfRange(handle().settingValues(), 0, 2);
  }

  /** {@return the padding: {height, width}} */
  public long[] padding() {
    return Arrays.copyOfRange(handle().settingValues(), 2, 4);
  }

  /** {@return the dilation: {height, width}} */
  public long[] dilation() {
    return Arrays.copyOfRange(handle().settingValues(), 4, 6);
  }

  /** {@return the number of channel groups} */
  public long groups() {
    return handle().settingValues()[6];
  }

  /**
   * For example {@code PackedConv2d(stride=[2, 2], padding=[1, 1],
   * dilation=[1, 1], groups=1)}; {@code PackedConv2d(closed)} once closed.
   */
  @Override
  public String toString() {
    if (ref.isClosed()) {
      return "PackedConv2d(closed)";
    }
    return "PackedConv2d(stride=" + Arrays.toString(stride()) + ", padding="
        + Arrays.toString(padding()) + ", dilation=" + Arrays.toString(dilation())
        + ", groups=" + groups() + ")";
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
