package io.qtensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Named tensors in insertion order plus string metadata: a state dict that
 * can be saved, loaded and (de)serialized. The bundle shares the storage of
 * the tensors put in it; get() returns a new handle the caller closes.
 * Close the bundle itself too; use after close throws IllegalStateException.
 * A name, key, value or path holding U+0000 or an unpaired surrogate (no
 * UTF-8 string can carry it) throws IllegalArgumentException.
 */
public final class Bundle implements AutoCloseable {
  private final NativeRef<NativeBundle> ref;

  /** An empty bundle. */
  public Bundle() {
    this(new NativeBundle());
  }

  private Bundle(NativeBundle proxy) {
    ref = new NativeRef<>("Bundle", proxy, NativeBundle.getCPtr(proxy),
                          NativeModuleJNI::delete_NativeBundle);
  }

  private NativeBundle handle() {
    return ref.get();
  }

  /** The number of tensors. */
  public int size() {
    return (int) handle().size();
  }

  /** True if the bundle holds no tensor. */
  public boolean isEmpty() {
    return size() == 0;
  }

  /** Adds the tensor under name, or replaces the tensor of that name in place. */
  public Bundle put(String name, QTensor tensor) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tensor, "tensor");
    handle().set(name, tensor.handle());
    return this;
  }

  /** A new handle to the named tensor (NOT_FOUND if absent). */
  public QTensor get(String name) {
    Objects.requireNonNull(name, "name");
    return new QTensor(handle().get(name));
  }

  /** A new handle to the tensor at index, in insertion order (OUT_OF_RANGE if outside). */
  public QTensor get(int index) {
    return new QTensor(handle().at(checkedIndex(index)));
  }

  /**
   * Removes the named tensor; returns whether there was one (as Map.remove
   * does, a missing name is no error).
   */
  public boolean remove(String name) {
    Objects.requireNonNull(name, "name");
    NativeBundle proxy = handle();
    if (!proxy.contains(name)) {
      return false;
    }
    proxy.remove(name);
    return true;
  }

  /** True if the bundle holds a tensor of that name. */
  public boolean containsKey(String name) {
    Objects.requireNonNull(name, "name");
    return handle().contains(name);
  }

  /** The name at index, in insertion order. */
  public String name(int index) {
    return handle().name(checkedIndex(index));
  }

  /** The names in insertion order (an unmodifiable copy). */
  public List<String> names() {
    return Collections.unmodifiableList(Arrays.asList(handle().names()));
  }

  /** Sets a metadata string (key non-empty; value may be empty). */
  public Bundle putMetadata(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    handle().set_metadata(key, value);
    return this;
  }

  /** The value of a metadata key (NOT_FOUND if absent). */
  public String getMetadata(String key) {
    Objects.requireNonNull(key, "key");
    return handle().metadata(key);
  }

  /** The metadata keys in sorted order (an unmodifiable copy). */
  public List<String> metadataKeys() {
    return Collections.unmodifiableList(Arrays.asList(handle().metadata_keys()));
  }

  /** The number of metadata keys (without listing them). */
  public int metadataSize() {
    return Math.toIntExact(handle().metadata_size());
  }

  /** The file format's bytes of the tensors and metadata (proto/qtensor.proto). */
  public byte[] serialize() {
    return handle().serializeBytes();
  }

  /** A new bundle from serialize()'s bytes (CORRUPT_DATA for bad input). */
  public static Bundle deserialize(byte[] data) {
    Objects.requireNonNull(data, "data");
    return new Bundle(NativeBundle.deserializeBytes(data));
  }

  /** Writes the bundle to a file (replaced if it exists; IO if it cannot be written). */
  public void save(String path) {
    Objects.requireNonNull(path, "path");
    handle().save(path);
  }

  /** save(String) of the path. */
  public void save(Path path) {
    Objects.requireNonNull(path, "path");
    save(path.toString());
  }

  /** Reads a bundle file (IO if it cannot be read, CORRUPT_DATA if it is not one). */
  public static Bundle load(String path) {
    Objects.requireNonNull(path, "path");
    return new Bundle(NativeBundle.load(path));
  }

  /** load(String) of the path. */
  public static Bundle load(Path path) {
    Objects.requireNonNull(path, "path");
    return load(path.toString());
  }

  /** For example {@code Bundle[a, b]}; "Bundle(closed)" once closed. */
  @Override
  public String toString() {
    return ref.isClosed() ? "Bundle(closed)" : "Bundle" + names();
  }

  /** True once close() was called. */
  public boolean isClosed() {
    return ref.isClosed();
  }

  /** Frees the bundle (tensors taken from it stay valid); closing again does nothing. */
  @Override
  public void close() {
    ref.close();
  }

  private static long checkedIndex(int index) {
    if (index < 0) {
      throw new QTensorException(Status.OUT_OF_RANGE, "bundle index " + index + " is negative");
    }
    return index;
  }
}
