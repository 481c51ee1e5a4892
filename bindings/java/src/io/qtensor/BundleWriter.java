package io.qtensor;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a container one entry at a time: each added tensor or float entry
 * is written to the file at once, so writing a large bundle needs memory for
 * one entry, not all. Entries go into a temporary file beside the path;
 * {@link #finish()} writes the header and renames it over the path. A writer
 * closed (or collected) without finish(), or after a failure, removes its
 * temporary file and leaves the path as it was.
 *
 * <p>Close the writer (try-with-resources); closing twice does nothing, any
 * other use after close throws IllegalStateException. A name, key, value or
 * path holding U+0000 or an unpaired surrogate throws
 * IllegalArgumentException.
 */
public final class BundleWriter implements AutoCloseable {
  private final NativeRef<NativeBundleWriter> ref;

  private BundleWriter(NativeBundleWriter proxy) {
    ref = new NativeRef<>("BundleWriter", proxy, NativeBundleWriter.getCPtr(proxy),
                          NativeModuleJNI::delete_NativeBundleWriter);
  }

  private NativeBundleWriter handle() {
    return ref.get();
  }

  /**
   * Starts writing a container to path (IO if its temporary file cannot be created).
   *
   * @param path the file to write when finished
   * @return the writer (close it)
   */
  public static BundleWriter open(String path) {
    Objects.requireNonNull(path, "path");
    return new BundleWriter(NativeBundleWriter.open(path));
  }

  /**
   * open(String) of the path.
   *
   * @param path the file to write when finished
   * @return the writer (close it)
   */
  public static BundleWriter open(Path path) {
    Objects.requireNonNull(path, "path");
    return open(path.toString());
  }

  /**
   * Writes the tensor's values under name (a view is written as its own elements).
   *
   * @param name the entry's name (INVALID_ARGUMENT if empty or already added)
   * @param tensor the tensor
   * @return this writer, for chaining
   */
  public BundleWriter add(String name, QTensor tensor) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tensor, "tensor");
    handle().add(name, tensor.handle());
    return this;
  }

  /**
   * Writes a float entry under name, as {@link Bundle#putFloat} takes one.
   *
   * @param name the entry's name (INVALID_ARGUMENT if empty or already added)
   * @param data product(shape) values of dtype, little-endian (SHAPE_MISMATCH if the length is
   *     wrong)
   * @param shape the shape (INVALID_ARGUMENT for a negative size)
   * @param dtype the values' type
   * @return this writer, for chaining
   */
  public BundleWriter addFloat(String name, byte[] data, long[] shape, FloatDType dtype) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(dtype, "dtype");
    handle().addFloatBytes(name, data, shape, dtype.code());
    return this;
  }

  /**
   * Sets a metadata string, written with the header (key non-empty; value may be empty).
   *
   * @param key the metadata key
   * @param value the metadata value
   * @return this writer, for chaining
   */
  public BundleWriter setMetadata(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    handle().set_metadata(key, value);
    return this;
  }

  /** Writes the header, syncs the file and renames it over the path (IO if that fails). */
  public void finish() {
    handle().finish();
  }

  /** {@return true once close() was called} */
  public boolean isClosed() {
    return ref.isClosed();
  }

  /** Frees the writer; an unfinished one leaves no file. Closing again does nothing. */
  @Override
  public void close() {
    ref.close();
  }
}
