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

public sealed class Bundle : IDisposable, IEnumerable<KeyValuePair<string, Tensor>> {
  NativeBundle native;

  readonly BundleMetadata metadata;

  public Bundle() {
    native = new NativeBundle();
    metadata = new BundleMetadata(this);
  }

  Bundle(NativeBundle native) {
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

  // Frees the bundle (tensors taken from it stay valid); later calls are harmless.
  public void Dispose() {
    NativeBundle current = Interlocked.Exchange(ref native, null);
    if (current != null) current.Dispose();
  }

  public int Count => (int)Native.size();

  // Get throws QTensorKeyNotFoundException for a missing name; set adds or
  // replaces (keeping the position), sharing the tensor's storage.
  public Tensor this[string name] {
    get => new Tensor(Native.get(Arguments.Text(name, nameof(name))));
    set {
      Arguments.Text(name, nameof(name));
      Native.set(name, Arguments.NotNull(value, nameof(value)).Native);
    }
  }

  // The tensor at index, in insertion order (the position of Keys[index]);
  // QTensorIndexException outside [0, Count).
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

  // Adds a new name (QTensorArgumentException if it is already there).
  public void Add(string name, Tensor tensor) {
    Arguments.Text(name, nameof(name));
    Arguments.NotNull(tensor, nameof(tensor));
    if (ContainsKey(name)) throw new QTensorArgumentException($"the bundle already has \"{name}\"");
    this[name] = tensor;
  }

  // Removes the name; false if it was not there.
  public bool Remove(string name) {
    if (!ContainsKey(name)) return false;
    Native.remove(name);
    return true;
  }

  public bool ContainsKey(string name) => Native.contains(Arguments.Text(name, nameof(name)));

  public bool TryGetValue(string name, out Tensor tensor) {
    tensor = ContainsKey(name) ? this[name] : null;
    return tensor != null;
  }

  // The names in insertion order.
  public IList<string> Keys => Array.AsReadOnly(Names(Native));

  static string[] Names(NativeBundle bundle) {
    var names = new string[bundle.size()];
    for (uint i = 0; i < names.Length; ++i) names[i] = bundle.name(i);
    return names;
  }

  // String metadata (key -> value) saved with the tensors.
  public BundleMetadata Metadata {
    get {
      NativeBundle unused = Native;  // throws once disposed
      return metadata;
    }
  }

  // (name, tensor) pairs in insertion order; dispose the tensors when done.
  public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => Enumerate(Native);
  IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

  static IEnumerator<KeyValuePair<string, Tensor>> Enumerate(NativeBundle bundle) {
    for (uint i = 0, count = bundle.size(); i < count; ++i) {
      yield return new KeyValuePair<string, Tensor>(bundle.name(i), new Tensor(bundle.at(i)));
    }
  }

  // The names, e.g. "Bundle[weight, bias]"; "Bundle(closed)" once disposed
  // (never throws).
  public override string ToString() {
    NativeBundle bundle = native;
    return bundle == null ? "Bundle(closed)" : "Bundle[" + string.Join(", ", Names(bundle)) + "]";
  }

  public byte[] Serialize() => Arguments.TakeBytes(Native.SerializeBytes());

  public static Bundle Deserialize(byte[] data) {
    Arguments.NotNull(data, nameof(data));
    return new Bundle(NativeBundle.DeserializeBytes(data, data.Length));
  }

  public void Save(string path) => Native.save(Arguments.Text(path, nameof(path)));

  public static Bundle Load(string path) {
    return new Bundle(NativeBundle.load(Arguments.Text(path, nameof(path))));
  }
}

// The metadata of a bundle: string keys and values, in insertion order.
public sealed class BundleMetadata : IEnumerable<KeyValuePair<string, string>> {
  readonly Bundle bundle;

  internal BundleMetadata(Bundle bundle) { this.bundle = bundle; }

  // Get throws QTensorKeyNotFoundException for a missing key; set adds or replaces.
  public string this[string key] {
    get => bundle.Native.metadata(Arguments.Text(key, nameof(key)));
    set {
      Arguments.Text(key, nameof(key));
      bundle.Native.set_metadata(key, Arguments.Text(value, nameof(value)));
    }
  }

  public int Count => (int)bundle.Native.MetadataCount();

  public IList<string> Keys {
    get {
      NativeBundle native = bundle.Native;
      var keys = new string[native.MetadataCount()];
      for (int i = 0; i < keys.Length; ++i) keys[i] = native.MetadataKey(i);
      return Array.AsReadOnly(keys);
    }
  }

  // A lookup in the library (O(log n)).
  public bool ContainsKey(string key) {
    return bundle.Native.has_metadata(Arguments.Text(key, nameof(key)));
  }

  // (key, value) pairs in the order of Keys.
  public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Enumerate(Keys);
  IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

  IEnumerator<KeyValuePair<string, string>> Enumerate(IList<string> keys) {
    foreach (string key in keys) yield return new KeyValuePair<string, string>(key, this[key]);
  }
}

}  // namespace QTensor
