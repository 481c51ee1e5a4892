// Named tensors in insertion order plus string metadata: what a PyTorch user
// keeps in a state dict, saved as one file. Dictionary-like: the indexer (by
// name, and by position), Add, Remove, ContainsKey, TryGetValue, Count,
// Keys. Each tensor read from a bundle is a new handle (sharing the stored
// tensor's storage) to dispose.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading;

namespace QTensor {

/// <summary>
/// Named tensors in insertion order plus string metadata, saved as one file:
/// what a PyTorch user keeps in a state dict. Owns a native handle (dispose
/// it); each tensor read from it is a new handle to dispose.
/// </summary>
public sealed class Bundle : IDisposable, IEnumerable<KeyValuePair<string, Tensor>> {
  static Bundle() { NativeLoader.EnsureLoaded(); }

  NativeBundle native;
  readonly BundleMetadata metadata;

  /// <summary>An empty bundle.</summary>
  public Bundle() {
    native = new NativeBundle();
    metadata = new BundleMetadata(this);
  }

  internal Bundle(NativeBundle native) {
    this.native = native;
    metadata = new BundleMetadata(this);
  }

  internal NativeBundle Native {
    get {
      NativeBundle current = native;
      if (current == null) throw new ObjectDisposedException(nameof(Bundle));
      return current;
    }
  }

  /// <summary>
  /// Frees the bundle (tensors taken from it stay valid); later calls are
  /// harmless.
  /// </summary>
  public void Dispose() {
    NativeBundle current = Interlocked.Exchange(ref native, null);
    if (current != null) current.Dispose();
  }

  /// <summary>The number of tensors.</summary>
  public int Count => (int)Native.size();

  /// <summary>
  /// The named tensor, a new handle sharing the stored tensor's storage (a
  /// missing name: <see cref="QTensorKeyNotFoundException"/>); setting adds
  /// the name or replaces its tensor in place, sharing the tensor's storage.
  /// </summary>
  public Tensor this[string name] {
    get => new Tensor(Native.get(Arguments.Text(name, nameof(name))));
    set {
      Arguments.Text(name, nameof(name));
      Native.set(name, Arguments.NotNull(value, nameof(value)).Native);
    }
  }

  /// <summary>
  /// The tensor at <paramref name="index"/> in insertion order (the one named
  /// <c>Keys[index]</c>), a new handle; outside [0, Count):
  /// <see cref="QTensorIndexException"/>.
  /// </summary>
  public Tensor this[int index] {
    get {
      NativeBundle bundle = Native;
      if (index < 0) {
        throw new QTensorIndexException(
            $"index {index} is out of range for {bundle.size()} tensors");
      }
      return new Tensor(bundle.at((uint)index));
    }
  }

  /// <summary>
  /// Adds a new name (<see cref="QTensorArgumentException"/> if it is already
  /// there).
  /// </summary>
  public void Add(string name, Tensor tensor) {
    Arguments.Text(name, nameof(name));
    Arguments.NotNull(tensor, nameof(tensor));
    if (ContainsKey(name)) throw new QTensorArgumentException($"the bundle already has \"{name}\"");
    this[name] = tensor;
  }

  /// <summary>Removes the name; false if it was not there.</summary>
  public bool Remove(string name) {
    if (!ContainsKey(name)) return false;
    Native.remove(name);
    return true;
  }

  /// <summary>Whether the bundle has a tensor of that name.</summary>
  public bool ContainsKey(string name) => Native.contains(Arguments.Text(name, nameof(name)));

  /// <summary>
  /// The named tensor (a new handle) in <paramref name="tensor"/> and true,
  /// or null and false for a missing name.
  /// </summary>
  public bool TryGetValue(string name, out Tensor tensor) {
    tensor = ContainsKey(name) ? this[name] : null;
    return tensor != null;
  }

  /// <summary>
  /// Adds a float entry (unquantized values kept bit for bit: GGUF's F32,
  /// F16 and BF16 tensors) under <paramref name="name"/>, or replaces the
  /// entry of that name, of either kind, in place. <paramref name="data"/>
  /// holds product(shape) values of <paramref name="dtype"/>, little-endian
  /// (copied; a wrong length: <see cref="QTensorShapeException"/>). Reading
  /// a float entry through the tensor indexer throws
  /// <see cref="QTensorTypeException"/>.
  /// </summary>
  public void SetFloat(string name, byte[] data, long[] shape, FloatDType dtype) {
    Arguments.Text(name, nameof(name));
    Arguments.NotNull(data, nameof(data));
    Arguments.NotNull(shape, nameof(shape));
    Native.SetFloatBytes(name, data, data.Length, shape, shape.Length, (NativeFloatDType)dtype);
  }

  /// <summary>Whether the named entry is a float entry (false: a tensor).</summary>
  public bool IsFloat(string name) => Native.is_float(Arguments.Text(name, nameof(name)));

  /// <summary>The named float entry's dtype.</summary>
  public FloatDType FloatDType(string name) =>
      (FloatDType)Native.float_dtype(Arguments.Text(name, nameof(name)));

  /// <summary>The named float entry's shape.</summary>
  public long[] FloatShape(string name) {
    NativeBundle bundle = Native;
    var shape = new long[bundle.FloatNdim(Arguments.Text(name, nameof(name)))];
    bundle.FloatShapeInto(name, shape, shape.Length);
    return shape;
  }

  /// <summary>A copy of the named float entry's bytes (little-endian values of its dtype).</summary>
  public byte[] FloatData(string name) =>
      Arguments.TakeBytes(Native.FloatDataBytes(Arguments.Text(name, nameof(name))));

  /// <summary>
  /// The named float entry's values as float (Float16 and BFloat16 widen
  /// exactly).
  /// </summary>
  public float[] FloatValues(string name) {
    long count = 1;
    foreach (long size in FloatShape(name)) count *= size;
    var values = new float[count];
    Native.FloatValuesInto(name, values, values.Length);
    return values;
  }

  /// <summary>The names in insertion order (a new read-only list).</summary>
  public IList<string> Keys => Array.AsReadOnly(Names(Native));

  static string[] Names(NativeBundle bundle) {
    var names = new string[bundle.size()];
    for (uint i = 0; i < names.Length; ++i) names[i] = bundle.name(i);
    return names;
  }

  /// <summary>String metadata (key to value) saved with the tensors.</summary>
  public BundleMetadata Metadata {
    get {
      NativeBundle unused = Native;  // throws once disposed
      return metadata;
    }
  }

  /// <summary>
  /// (name, tensor) pairs of every entry in insertion order; dispose the
  /// tensors when done. A float entry's value is null (it is not a
  /// <see cref="Tensor"/>): read it with <see cref="FloatData"/> or
  /// <see cref="FloatValues"/>.
  /// </summary>
  public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => Enumerate(Native);
  IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

  static IEnumerator<KeyValuePair<string, Tensor>> Enumerate(NativeBundle bundle) {
    for (uint i = 0, count = bundle.size(); i < count; ++i) {
      string name = bundle.name(i);
      Tensor tensor = bundle.is_float(name) ? null : new Tensor(bundle.at(i));
      yield return new KeyValuePair<string, Tensor>(name, tensor);
    }
  }

  /// <summary>
  /// The names, e.g. "Bundle[weight, bias]"; "Bundle(closed)" once disposed.
  /// Never throws.
  /// </summary>
  public override string ToString() {
    NativeBundle bundle = native;
    return bundle == null ? "Bundle(closed)" : "Bundle[" + string.Join(", ", Names(bundle)) + "]";
  }

  /// <summary>The bundle in the qtensor file format, as bytes.</summary>
  public byte[] Serialize() => Arguments.TakeBytes(Native.SerializeBytes());

  /// <summary>
  /// A bundle from bytes of the file format (malformed data:
  /// <see cref="QTensorCorruptDataException"/>).
  /// </summary>
  public static Bundle Deserialize(byte[] data) {
    Arguments.NotNull(data, nameof(data));
    return new Bundle(NativeBundle.DeserializeBytes(data, data.Length));
  }

  /// <summary>
  /// Writes the bundle to a file as a container, as <see cref="SaveContainer"/>
  /// does (<see cref="QTensorIOException"/> on failure).
  /// </summary>
  public void Save(string path) => Native.save(Arguments.Text(path, nameof(path)));

  /// <summary>
  /// Writes the bundle as a container (docs/format.md), replacing the file
  /// atomically: <see cref="BundleFile"/> opens it lazily, <see cref="Load"/>
  /// reads it with its tensors mapped read-only
  /// (<see cref="QTensorIOException"/> on failure).
  /// </summary>
  public void SaveContainer(string path) =>
      Native.save_container(Arguments.Text(path, nameof(path)));

  /// <summary>
  /// Writes the bundle in the message form: <see cref="Serialize"/>'s bytes,
  /// which any protobuf runtime reads (at most 2 GiB; <see cref="Load"/>
  /// reads it too).
  /// </summary>
  public void SaveMessage(string path) => Native.save_message(Arguments.Text(path, nameof(path)));

  /// <summary>
  /// Reads a bundle from a file written by any qtensor language (a missing
  /// or unreadable file: <see cref="QTensorIOException"/>).
  /// </summary>
  public static Bundle Load(string path) {
    return new Bundle(NativeBundle.load(Arguments.Text(path, nameof(path))));
  }

  /// <summary>
  /// The bundle as a GGUF file (docs/gguf.md): tensors in Q8_0's or Q4_0's
  /// form (<see cref="Quantizer.Gguf"/>), metadata values in typed text
  /// ("UINT32 32") keeping their GGUF type, others as GGUF strings. A tensor or
  /// key GGUF cannot hold throws <see cref="QTensorArgumentException"/> naming it.
  /// </summary>
  public byte[] SerializeGguf() => Arguments.TakeBytes(Native.SerializeGgufBytes());

  /// <summary>
  /// A bundle from a GGUF file's bytes: Q8_0 and Q4_0 tensors, metadata as
  /// typed text ("STRING \"llama\""). A malformed file or a tensor of another
  /// type throws <see cref="QTensorCorruptDataException"/> naming it.
  /// </summary>
  public static Bundle DeserializeGguf(byte[] data) {
    Arguments.NotNull(data, nameof(data));
    return new Bundle(NativeBundle.DeserializeGgufBytes(data, data.Length));
  }

  /// <summary>Writes the bundle as a GGUF file (<see cref="QTensorIOException"/> on failure).</summary>
  public void SaveGguf(string path) => Native.save_gguf(Arguments.Text(path, nameof(path)));

  /// <summary>
  /// Reads a GGUF file as a bundle (a missing or unreadable file:
  /// <see cref="QTensorIOException"/>).
  /// </summary>
  public static Bundle LoadGguf(string path) {
    return new Bundle(NativeBundle.load_gguf(Arguments.Text(path, nameof(path))));
  }

  /// <summary>
  /// The bundle as an ONNX model (docs/onnx.md): each tensor the initializers
  /// of a DequantizeLinear node. What ONNX cannot hold:
  /// <see cref="QTensorArgumentException"/> naming the tensor.
  /// </summary>
  public byte[] SerializeOnnx() => Arguments.TakeBytes(Native.SerializeOnnxBytes());

  /// <summary>
  /// A bundle of the tensors an ONNX model dequantizes from initializers
  /// (malformed data or what qtensor cannot hold:
  /// <see cref="QTensorCorruptDataException"/>).
  /// </summary>
  public static Bundle DeserializeOnnx(byte[] data) {
    Arguments.NotNull(data, nameof(data));
    return new Bundle(NativeBundle.DeserializeOnnxBytes(data, data.Length));
  }

  /// <summary>Writes the bundle as an ONNX model file, as <see cref="Save"/> does.</summary>
  public void SaveOnnx(string path) => Native.save_onnx(Arguments.Text(path, nameof(path)));

  /// <summary>Reads an ONNX model file, as <see cref="Load"/> reads a bundle file.</summary>
  public static Bundle LoadOnnx(string path) {
    return new Bundle(NativeBundle.load_onnx(Arguments.Text(path, nameof(path))));
  }
}

/// <summary>
/// The metadata of a bundle: string keys and values, keys in sorted order.
/// </summary>
public sealed class BundleMetadata : IEnumerable<KeyValuePair<string, string>> {
  static BundleMetadata() { NativeLoader.EnsureLoaded(); }

  readonly Bundle bundle;

  internal BundleMetadata(Bundle bundle) { this.bundle = bundle; }

  /// <summary>
  /// The value of <paramref name="key"/> (a missing key:
  /// <see cref="QTensorKeyNotFoundException"/>); setting adds or replaces it.
  /// </summary>
  public string this[string key] {
    get => bundle.Native.metadata(Arguments.Text(key, nameof(key)));
    set {
      Arguments.Text(key, nameof(key));
      bundle.Native.set_metadata(key, Arguments.Text(value, nameof(value)));
    }
  }

  /// <summary>The number of keys.</summary>
  public int Count => (int)bundle.Native.MetadataCount();

  /// <summary>The keys in sorted order (a new read-only list).</summary>
  public IList<string> Keys {
    get {
      NativeBundle native = bundle.Native;
      var keys = new string[native.MetadataCount()];
      for (int i = 0; i < keys.Length; ++i) keys[i] = native.MetadataKey(i);
      return Array.AsReadOnly(keys);
    }
  }

  /// <summary>Whether the key is there: a lookup in the library (O(log n)).</summary>
  public bool ContainsKey(string key) {
    return bundle.Native.has_metadata(Arguments.Text(key, nameof(key)));
  }

  /// <summary>(key, value) pairs in the order of <see cref="Keys"/>.</summary>
  public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Enumerate(Keys);
  IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

  IEnumerator<KeyValuePair<string, string>> Enumerate(IList<string> keys) {
    foreach (string key in keys) yield return new KeyValuePair<string, string>(key, this[key]);
  }
}

}  // namespace QTensor
