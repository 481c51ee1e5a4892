// A container opened lazily: its header (names, shapes, dtypes, quantizers,
// payload places, metadata) is read at Open, and each tensor maps its
// payload when asked for. Payload bytes reach C# as arrays read with a
// FileStream (docs/csharp.md says why not spans).
using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace QTensor {

/// <summary>
/// A bundle file opened lazily (a container, docs/format.md): <see cref="Open"/>
/// reads its header only. <see cref="Get"/> maps one tensor's payload: the
/// tensor borrows the library's read-only mapping (no copy), is
/// <see cref="Tensor.IsReadOnly">read-only</see> (writing into it throws
/// <see cref="QTensorArgumentException"/>; <see cref="Tensor.Clone"/> gives a
/// writable copy) and stays valid after the file is disposed. A missing name
/// throws <see cref="QTensorKeyNotFoundException"/>. Owns a native handle
/// (dispose it).
/// </summary>
public sealed class BundleFile : IDisposable {
  static BundleFile() { NativeLoader.EnsureLoaded(); }

  NativeBundleFile native;
  readonly string path;
  readonly BundleFileMetadata metadata;

  BundleFile(NativeBundleFile native, string path) {
    this.native = native;
    this.path = path;
    metadata = new BundleFileMetadata(this);
  }

  internal NativeBundleFile Native {
    get {
      NativeBundleFile current = native;
      if (current == null) throw new ObjectDisposedException(nameof(BundleFile));
      return current;
    }
  }

  /// <summary>
  /// Opens a container and checks its header; no payload is read (a missing
  /// or unreadable file: <see cref="QTensorIOException"/>; not a valid
  /// container: <see cref="QTensorCorruptDataException"/>).
  /// </summary>
  public static BundleFile Open(string path) {
    Arguments.Text(path, nameof(path));
    return new BundleFile(NativeBundleFile.open(path), Path.GetFullPath(path));
  }

  /// <summary>
  /// Closes the file (tensors and bundles taken from it stay valid); later
  /// calls are harmless.
  /// </summary>
  public void Dispose() {
    NativeBundleFile current = Interlocked.Exchange(ref native, null);
    if (current != null) current.Dispose();
  }

  /// <summary>The number of entries (tensors and float entries).</summary>
  public int Count => (int)Native.size();

  /// <summary>The entries' names in the file's order (a new read-only list).</summary>
  public IList<string> Keys {
    get {
      NativeBundleFile file = Native;
      var names = new string[file.size()];
      for (uint i = 0; i < names.Length; ++i) names[i] = file.name(i);
      return Array.AsReadOnly(names);
    }
  }

  /// <summary>Whether the file has an entry of that name.</summary>
  public bool Contains(string name) => Native.contains(Arguments.Text(name, nameof(name)));

  /// <summary>
  /// The named tensor, read-only, borrowing a mapping of its payload (a float
  /// entry: <see cref="QTensorTypeException"/>; a file truncated since it was
  /// opened: <see cref="QTensorCorruptDataException"/>). The checksum is
  /// checked only by <see cref="Verify(string)"/>. Should the file shrink
  /// while the tensor maps it, the lost pages read as zeros (the library
  /// handles the SIGBUS) and Verify reports the change.
  /// </summary>
  public Tensor Get(string name) => new Tensor(Native.get(Arguments.Text(name, nameof(name))));

  /// <summary>Whether the named entry is a float entry (false: a tensor).</summary>
  public bool IsFloat(string name) => Native.is_float(Arguments.Text(name, nameof(name)));

  /// <summary>The named entry's shape, from the header.</summary>
  public long[] Shape(string name) {
    NativeBundleFile file = Native;
    var shape = new long[file.Ndim(Arguments.Text(name, nameof(name)))];
    file.ShapeInto(name, shape, shape.Length);
    return shape;
  }

  /// <summary>
  /// The named tensor's dtype, from the header (a float entry:
  /// <see cref="QTensorTypeException"/>).
  /// </summary>
  public DType DType(string name) => Native.dtype(Arguments.Text(name, nameof(name)));

  /// <summary>
  /// The named tensor's quantizer, from the header, to dispose (a float entry:
  /// <see cref="QTensorTypeException"/>).
  /// </summary>
  public Quantizer Quantizer(string name) =>
      new Quantizer(Native.quantizer(Arguments.Text(name, nameof(name))));

  /// <summary>
  /// The named float entry's dtype, from the header (a tensor:
  /// <see cref="QTensorTypeException"/>).
  /// </summary>
  public FloatDType FloatDType(string name) =>
      (FloatDType)Native.float_dtype(Arguments.Text(name, nameof(name)));

  /// <summary>Where the named entry's payload starts in the file, in bytes (a multiple of 64).</summary>
  public long PayloadOffset(string name) =>
      checked((long)Native.payload_offset(Arguments.Text(name, nameof(name))));

  /// <summary>The length of the named entry's payload, in bytes.</summary>
  public long PayloadLength(string name) =>
      checked((long)Native.payload_length(Arguments.Text(name, nameof(name))));

  /// <summary>
  /// A copy of the named entry's payload, read with a <see cref="FileStream"/>
  /// from the file this was opened on (which must still be that file): a
  /// tensor's integers in storage form (one byte per value for QInt8 and
  /// QUInt8, two or four little-endian bytes for the wider dtypes, packed
  /// bytes for the 4- and 2-bit ones), a float entry's little-endian values.
  /// A payload larger than an array can hold throws
  /// <see cref="QTensorOutOfMemoryException"/>.
  /// </summary>
  public byte[] ReadPayload(string name) {
    long offset = PayloadOffset(name);
    long length = PayloadLength(name);
    if (length > int.MaxValue) {
      throw new QTensorOutOfMemoryException(
          $"the payload of \"{name}\" has {length} bytes, more than an array holds");
    }
    var bytes = new byte[length];
    using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read)) {
      stream.Seek(offset, SeekOrigin.Begin);
      int done = 0;
      while (done < bytes.Length) {
        int read = stream.Read(bytes, done, bytes.Length - done);
        if (read == 0) {
          throw new QTensorCorruptDataException(
              $"the payload of \"{name}\" ends past the end of the file {path}");
        }
        done += read;
      }
    }
    return bytes;
  }

  /// <summary>String metadata (key to value), keys in sorted order.</summary>
  public BundleFileMetadata Metadata {
    get {
      NativeBundleFile unused = Native;  // throws once disposed
      return metadata;
    }
  }

  /// <summary>
  /// A bundle of the named entries (tensors and float entries), in the given
  /// order, and the metadata, its tensors borrowing mappings as
  /// <see cref="Get"/>'s do (a missing name: <see cref="QTensorKeyNotFoundException"/>;
  /// one given twice: <see cref="QTensorArgumentException"/>).
  /// </summary>
  public Bundle Select(params string[] names) {
    NativeBundleFile file = Native;
    Arguments.NotNull(names, nameof(names));
    using (var list = new NativeNames()) {
      foreach (string name in names) list.Add(Arguments.Text(name, nameof(names)));
      return new Bundle(file.SelectNames(list));
    }
  }

  /// <summary>Every entry and the metadata as a bundle (<see cref="Select"/> of every name).</summary>
  public Bundle ToBundle() => new Bundle(Native.to_bundle());

  /// <summary>
  /// Recomputes the named entry's checksum (XXH3-64) and compares it with the
  /// header's (a mismatch: <see cref="QTensorCorruptDataException"/> naming
  /// the entry; an entry stored without one passes).
  /// </summary>
  public void Verify(string name) => Native.verify(Arguments.Text(name, nameof(name)));

  /// <summary><see cref="Verify(string)"/> of every entry.</summary>
  public void Verify() => Native.verify();

  /// <summary>
  /// The names, e.g. "BundleFile[w, b]"; "BundleFile(closed)" once disposed.
  /// </summary>
  public override string ToString() {
    return native == null ? "BundleFile(closed)" : "BundleFile[" + string.Join(", ", Keys) + "]";
  }
}

/// <summary>
/// The metadata of a <see cref="BundleFile"/>, read from its header: string
/// keys and values, keys in sorted order.
/// </summary>
public sealed class BundleFileMetadata : IReadOnlyDictionary<string, string> {
  static BundleFileMetadata() { NativeLoader.EnsureLoaded(); }

  readonly BundleFile file;

  internal BundleFileMetadata(BundleFile file) { this.file = file; }

  /// <summary>
  /// The value of <paramref name="key"/> (a missing key:
  /// <see cref="QTensorKeyNotFoundException"/>).
  /// </summary>
  public string this[string key] => file.Native.metadata(Arguments.Text(key, nameof(key)));

  /// <summary>The number of keys.</summary>
  public int Count => (int)file.Native.metadata_size();

  /// <summary>The keys in sorted order (a new read-only list).</summary>
  public IEnumerable<string> Keys => KeyList(file.Native);

  /// <summary>The values, in the order of <see cref="Keys"/> (a new read-only list).</summary>
  public IEnumerable<string> Values {
    get {
      NativeBundleFile native = file.Native;
      IList<string> keys = KeyList(native);
      var values = new string[keys.Count];
      for (int i = 0; i < values.Length; ++i) values[i] = native.metadata(keys[i]);
      return Array.AsReadOnly(values);
    }
  }

  static IList<string> KeyList(NativeBundleFile native) {
    var keys = new string[native.metadata_size()];
    for (uint i = 0; i < keys.Length; ++i) keys[i] = native.metadata_key(i);
    return Array.AsReadOnly(keys);
  }

  /// <summary>Whether the key is there.</summary>
  public bool ContainsKey(string key) {
    return file.Native.has_metadata(Arguments.Text(key, nameof(key)));
  }

  /// <summary>The value in <paramref name="value"/> and true, or null and false.</summary>
  public bool TryGetValue(string key, out string value) {
    value = ContainsKey(key) ? this[key] : null;
    return value != null;
  }

  /// <summary>(key, value) pairs in the order of <see cref="Keys"/>.</summary>
  public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
      Enumerate(KeyList(file.Native));
  IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

  IEnumerator<KeyValuePair<string, string>> Enumerate(IList<string> keys) {
    foreach (string key in keys) yield return new KeyValuePair<string, string>(key, this[key]);
  }
}

}  // namespace QTensor
