// A container written one entry at a time: memory for one entry, not all.
using System;
using System.Threading;

namespace QTensor {

/// <summary>
/// Writes a container one entry at a time, each added tensor or float entry
/// written to the file at once. Entries go into a temporary file beside the
/// path; <see cref="Finish"/> writes the header and renames it over the
/// path. Disposing a writer without <see cref="Finish"/> (or after a
/// failure) removes the temporary file and leaves the path as it was. Owns a
/// native handle (dispose it).
/// </summary>
public sealed class BundleWriter : IDisposable {
  static BundleWriter() { NativeLoader.EnsureLoaded(); }

  NativeBundleWriter native;

  BundleWriter(NativeBundleWriter native) { this.native = native; }

  NativeBundleWriter Native {
    get {
      NativeBundleWriter current = native;
      if (current == null) throw new ObjectDisposedException(nameof(BundleWriter));
      return current;
    }
  }

  /// <summary>
  /// Starts writing a container to <paramref name="path"/> (its temporary file
  /// cannot be created: <see cref="QTensorIOException"/>).
  /// </summary>
  public static BundleWriter Open(string path) {
    return new BundleWriter(NativeBundleWriter.open(Arguments.Text(path, nameof(path))));
  }

  /// <summary>
  /// Frees the writer; an unfinished one leaves no file. Later calls are
  /// harmless.
  /// </summary>
  public void Dispose() {
    NativeBundleWriter current = Interlocked.Exchange(ref native, null);
    if (current != null) current.Dispose();
  }

  /// <summary>
  /// Writes the tensor's values under <paramref name="name"/> (a view is
  /// written as its own elements; an empty name or one already added:
  /// <see cref="QTensorArgumentException"/>).
  /// </summary>
  public void Add(string name, Tensor tensor) {
    NativeBundleWriter writer = Native;
    Arguments.Text(name, nameof(name));
    writer.add(name, Arguments.NotNull(tensor, nameof(tensor)).Native);
  }

  /// <summary>
  /// Writes a float entry, as <see cref="Bundle.SetFloat"/> takes one:
  /// product(shape) values of <paramref name="dtype"/>, little-endian (a
  /// wrong length: <see cref="QTensorShapeException"/>).
  /// </summary>
  public void AddFloat(string name, byte[] data, long[] shape, FloatDType dtype) {
    NativeBundleWriter writer = Native;
    Arguments.Text(name, nameof(name));
    Arguments.NotNull(data, nameof(data));
    Arguments.NotNull(shape, nameof(shape));
    writer.AddFloatBytes(name, data, data.Length, shape, shape.Length, (NativeFloatDType)dtype);
  }

  /// <summary>Sets a metadata string, written with the header.</summary>
  public void SetMetadata(string key, string value) {
    NativeBundleWriter writer = Native;
    Arguments.Text(key, nameof(key));
    writer.set_metadata(key, Arguments.Text(value, nameof(value)));
  }

  /// <summary>
  /// Writes the header, syncs the file and renames it over the path
  /// (<see cref="QTensorIOException"/> if that fails).
  /// </summary>
  public void Finish() => Native.finish();
}

}  // namespace QTensor
