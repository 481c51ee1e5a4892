/**
 * Quantized tensors with PyTorch's semantics, over the qtensor C library.
 *
 * <p>{@link io.qtensor.QTensor} is the tensor; {@link io.qtensor.Quantizer}
 * holds its scale or scales, zero point or points and integer type;
 * {@link io.qtensor.Bundle} keeps named tensors and metadata in one file;
 * the observers ({@link io.qtensor.MinMaxObserver} and the others) pick
 * parameters from data; {@link io.qtensor.Library} reports the version and
 * SIMD target and sets the thread count. Errors of the library throw
 * {@link io.qtensor.QTensorException}.
 *
 * <p>The jar carries the native libraries for the platform it was built on
 * and loads them on first use; the system property
 * {@code io.qtensor.library} names another libqtensor_java.so instead.
 */
package io.qtensor;
