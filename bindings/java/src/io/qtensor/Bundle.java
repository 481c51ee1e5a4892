package io.qtensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Named tensors in insertion order plus string metadata: a state dict that
 * can be saved, loaded and (de)serialized. The bundle shares the storage of
 * the tensors put in it; get() returns a new handle the caller closes. An
 * entry may instead be an unquantized float array (putFloat, floatData,
 * floatValues: GGUF's F32, F16 and BF16 tensors); get() of one throws
 * TYPE_MISMATCH.
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

  Bundle(NativeBundle proxy) {
    ref = new NativeRef<>("Bundle", proxy, NativeBundle.getCPtr(proxy),
                          NativeModuleJNI::delete_NativeBundle);
  }

  private NativeBundle handle() {
    return ref.get();
  }

  /** {@return the number of tensors} */
  public int size() {
    return (int) handle().size();
  }

  /** {@return true if the bundle holds no tensor} */
  public boolean isEmpty() {
    return size() == 0;
  }

  /**
   * Adds the tensor under name, or replaces the tensor of that name in place.
   *
   * @param name the tensor's name
   * @param tensor the tensor (the bundle keeps its own handle)
   * @return this bundle, for chaining
   */
  public Bundle put(String name, QTensor tensor) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tensor, "tensor");
    handle().set(name, tensor.handle());
    return this;
  }

  /**
   * {@return a new handle to the named tensor (NOT_FOUND if absent)}
   *
   * @param name the tensor's name
   */
  public QTensor get(String name) {
    Objects.requireNonNull(name, "name");
    return new QTensor(handle().get(name));
  }

  /**
   * {@return a new handle to the tensor at index, in insertion order (OUT_OF_RANGE if outside)}
   *
   * @param index the position in insertion order
   */
  public QTensor get(int index) {
    return new QTensor(handle().at(checkedIndex(index)));
  }

  /**
   * Removes the named tensor; returns whether there was one (as Map.remove
   * does, a missing name is no error).
   *
   * @param name the tensor's name
   * @return true if the bundle held a tensor of that name
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

  /**
   * {@return true if the bundle holds a tensor of that name}
   *
   * @param name the tensor's name
   */
  public boolean containsKey(String name) {
    Objects.requireNonNull(name, "name");
    return handle().contains(name);
  }

  /**
   * {@return the name at index, in insertion order}
   *
   * @param index the position in insertion order
   */
  public String name(int index) {
    return handle().name(checkedIndex(index));
  }

  /** {@return the names in insertion order (an unmodifiable copy)} */
  public List<String> names() {
    return Collections.unmodifiableList(Arrays.asList(handle().names()));
  }

  /**
   * Adds a float entry (unquantized values kept bit for bit) under name, or
   * replaces the entry of that name, of either kind, in place.
   *
   * @param name the entry's name
   * @param data product(shape) values of dtype, little-endian (copied; SHAPE_MISMATCH if the
   *     length is wrong)
   * @param shape the shape (INVALID_ARGUMENT for a negative size)
   * @param dtype the values' type
   * @return this bundle, for chaining
   */
  public Bundle putFloat(String name, byte[] data, long[] shape, FloatDType dtype) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(dtype, "dtype");
    handle().setFloatBytes(name, data, shape, dtype.code());
    return this;
  }

  /**
   * {@return true if the named entry is a float entry, false if a tensor (NOT_FOUND if absent)}
   *
   * @param name the entry's name
   */
  public boolean isFloat(String name) {
    Objects.requireNonNull(name, "name");
    return handle().is_float(name);
  }

  /**
   * {@return the named float entry's dtype (TYPE_MISMATCH for a tensor)}
   *
   * @param name the entry's name
   */
  public FloatDType floatDType(String name) {
    Objects.requireNonNull(name, "name");
    return FloatDType.fromCode(handle().float_dtype(name));
  }

  /**
   * {@return the named float entry's shape (TYPE_MISMATCH for a tensor)}
   *
   * @param name the entry's name
   */
  public long[] floatShape(String name) {
    Objects.requireNonNull(name, "name");
    return handle().float_shape(name);
  }

  /**
   * {@return a copy of the named float entry's bytes, little-endian values of its dtype}
   *
   * @param name the entry's name
   */
  public byte[] floatData(String name) {
    Objects.requireNonNull(name, "name");
    return handle().floatDataBytes(name);
  }

  /**
   * {@return the named float entry's values as float (float16 and bfloat16 widen exactly)}
   *
   * @param name the entry's name
   */
  public float[] floatValues(String name) {
    Objects.requireNonNull(name, "name");
    return handle().floatValuesArray(name);
  }

  /**
   * Sets a metadata string (key non-empty; value may be empty).
   *
   * @param key the metadata key
   * @param value the metadata value
   * @return this bundle, for chaining
   */
  public Bundle putMetadata(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    handle().set_metadata(key, value);
    return this;
  }

  /**
   * {@return the value of a metadata key (NOT_FOUND if absent)}
   *
   * @param key the metadata key
   */
  public String getMetadata(String key) {
    Objects.requireNonNull(key, "key");
    return handle().metadata(key);
  }

  /** {@return the metadata keys in sorted order (an unmodifiable copy)} */
  public List<String> metadataKeys() {
    return Collections.unmodifiableList(Arrays.asList(handle().metadata_keys()));
  }

  /** {@return the number of metadata keys (without listing them)} */
  public int metadataSize() {
    return Math.toIntExact(handle().metadata_size());
  }

  /** {@return the file format's bytes of the tensors and metadata (proto/qtensor.proto)} */
  public byte[] serialize() {
    return handle().serializeBytes();
  }

  /**
   * {@return a new bundle from serialize()'s bytes (CORRUPT_DATA for bad input)}
   *
   * @param data bytes that serialize() gave
   */
  public static Bundle deserialize(byte[] data) {
    Objects.requireNonNull(data, "data");
    return new Bundle(NativeBundle.deserializeBytes(data));
  }

  /**
   * Writes the bundle to a file as a container, as saveContainer does (replaced if it exists; IO
   * if it cannot be written).
   *
   * @param path the file to write
   */
  public void save(String path) {
    Objects.requireNonNull(path, "path");
    handle().save(path);
  }

  /**
   * save(String) of the path.
   *
   * @param path the file to write
   */
  public void save(Path path) {
    Objects.requireNonNull(path, "path");
    save(path.toString());
  }

  /**
   * Writes the bundle as a container (docs/format.md), the form save() writes too: {@link
   * BundleFile} opens it lazily, load() reads it with its tensors mapped read-only.
   *
   * @param path the file to write (replaced atomically; IO if it cannot be written)
   */
  public void saveContainer(String path) {
    Objects.requireNonNull(path, "path");
    handle().save_container(path);
  }

  /**
   * saveContainer(String) of the path.
   *
   * @param path the file to write
   */
  public void saveContainer(Path path) {
    Objects.requireNonNull(path, "path");
    saveContainer(path.toString());
  }

  /**
   * Writes the bundle in the message form: serialize()'s bytes, which any protobuf runtime reads
   * (at most 2 GiB; load() reads it too).
   *
   * @param path the file to write (replaced atomically; IO if it cannot be written)
   */
  public void saveMessage(String path) {
    Objects.requireNonNull(path, "path");
    handle().save_message(path);
  }

  /**
   * saveMessage(String) of the path.
   *
   * @param path the file to write
   */
  public void saveMessage(Path path) {
    Objects.requireNonNull(path, "path");
    saveMessage(path.toString());
  }

  /**
   * Reads a bundle file (IO if it cannot be read, CORRUPT_DATA if it is not one).
   *
   * @param path the file to read
   * @return a new bundle (close it)
   */
  public static Bundle load(String path) {
    Objects.requireNonNull(path, "path");
    return new Bundle(NativeBundle.load(path));
  }

  /**
   * load(String) of the path.
   *
   * @param path the file to read
   * @return a new bundle (close it)
   */
  public static Bundle load(Path path) {
    Objects.requireNonNull(path, "path");
    return load(path.toString());
  }

  /**
   * {@return the bundle as a GGUF file (docs/gguf.md)} Tensors must be in Q8_0's or Q4_0's form
   * ({@link Quantizer#gguf}); metadata values in typed text ("UINT32 32") keep their GGUF type,
   * others become GGUF strings. INVALID_ARGUMENT names a tensor or key GGUF cannot hold.
   */
  public byte[] serializeGguf() {
    return handle().serializeGgufBytes();
  }

  /**
   * {@return a new bundle of a GGUF file's bytes} Q8_0 and Q4_0 tensors become tensors, metadata
   * typed text ("STRING \"llama\""); CORRUPT_DATA for a malformed file or a tensor of another
   * type, naming it.
   *
   * @param data the GGUF file's bytes
   */
  public static Bundle deserializeGguf(byte[] data) {
    Objects.requireNonNull(data, "data");
    return new Bundle(NativeBundle.deserializeGgufBytes(data));
  }

  /**
   * Writes the bundle as a GGUF file (serializeGguf(), written atomically).
   *
   * @param path the file to write
   */
  public void saveGguf(String path) {
    Objects.requireNonNull(path, "path");
    handle().save_gguf(path);
  }

  /**
   * Reads a GGUF file as a bundle (deserializeGguf() of its bytes; IO if it cannot be read).
   *
   * @param path the file to read
   * @return a new bundle (close it)
   */
  public static Bundle loadGguf(String path) {
    Objects.requireNonNull(path, "path");
    return new Bundle(NativeBundle.load_gguf(path));
  }

  /**
   * {@return the bundle as an ONNX model (docs/onnx.md): each tensor the initializers of a
   * DequantizeLinear node; INVALID_ARGUMENT, naming the tensor, for what ONNX cannot hold}
   */
  public byte[] serializeOnnx() {
    return handle().serializeOnnxBytes();
  }

  /**
   * {@return a new bundle of the tensors an ONNX model dequantizes from initializers
   * (CORRUPT_DATA for bad input or what qtensor cannot hold)}
   *
   * @param data the model's bytes
   */
  public static Bundle deserializeOnnx(byte[] data) {
    Objects.requireNonNull(data, "data");
    return new Bundle(NativeBundle.deserializeOnnxBytes(data));
  }

  /**
   * Writes the bundle as an ONNX model file, as save(String) writes.
   *
   * @param path the file to write
   */
  public void saveOnnx(String path) {
    Objects.requireNonNull(path, "path");
    handle().save_onnx(path);
  }

  /**
   * saveOnnx(String) of the path.
   *
   * @param path the file to write
   */
  public void saveOnnx(Path path) {
    Objects.requireNonNull(path, "path");
    saveOnnx(path.toString());
  }

  /**
   * Reads an ONNX model file (IO if it cannot be read, CORRUPT_DATA as deserializeOnnx).
   *
   * @param path the file to read
   * @return a new bundle (close it)
   */
  public static Bundle loadOnnx(String path) {
    Objects.requireNonNull(path, "path");
    return new Bundle(NativeBundle.load_onnx(path));
  }

  /**
   * loadOnnx(String) of the path.
   *
   * @param path the file to read
   * @return a new bundle (close it)
   */
  public static Bundle loadOnnx(Path path) {
    Objects.requireNonNull(path, "path");
    return loadOnnx(path.toString());
  }

  /** For example {@code Bundle[a, b]}; "Bundle(closed)" once closed. */
  @Override
  public String toString() {
    return ref.isClosed() ? "Bundle(closed)" : "Bundle" + names();
  }

  /** {@return true once close() was called} */
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
