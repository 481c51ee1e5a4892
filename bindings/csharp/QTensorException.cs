// Exceptions of the QTensor library. Every failure the native library reports
// is a QTensorException carrying its Status; the subclasses name the kind.
// (Null arguments throw ArgumentNullException and disposed objects
// ObjectDisposedException, as everywhere in .NET.)
using System;

namespace QTensor {

/// <summary>
/// A failure the native library reported, with its <see cref="Status"/>; the
/// subclasses name the kind. Catch this type for all of them.
/// </summary>
public class QTensorException : Exception {
  /// <summary>An exception of the given status and message.</summary>
  public QTensorException(Status status, string message) : base(message) {
    Status = status;
  }

  /// <summary>The library's status code (never <see cref="Status.Ok"/>).</summary>
  public Status Status { get; }

  // The exception for a native status; -1 means a disposed object.
  internal static Exception FromStatus(int status, string message) {
    switch (status) {
      case -1: return new ObjectDisposedException(null, message);
      case (int)Status.InvalidArgument: return new QTensorArgumentException(message);
      case (int)Status.OutOfRange: return new QTensorIndexException(message);
      case (int)Status.ShapeMismatch: return new QTensorShapeException(message);
      case (int)Status.TypeMismatch: return new QTensorTypeException(message);
      case (int)Status.OutOfMemory: return new QTensorOutOfMemoryException(message);
      case (int)Status.Io: return new QTensorIOException(message);
      case (int)Status.CorruptData: return new QTensorCorruptDataException(message);
      case (int)Status.NotFound: return new QTensorKeyNotFoundException(message);
      default: return new QTensorException((Status)status, message);
    }
  }
}

/// <summary>
/// A bad parameter: scale, zero point, axis, step 0, a duplicate name, ...
/// </summary>
public sealed class QTensorArgumentException : QTensorException {
  /// <summary>An exception with the given message.</summary>
  public QTensorArgumentException(string message) : base(Status.InvalidArgument, message) {}
}

/// <summary>
/// An index or dimension outside the tensor.
/// </summary>
public sealed class QTensorIndexException : QTensorException {
  /// <summary>An exception with the given message.</summary>
  public QTensorIndexException(string message) : base(Status.OutOfRange, message) {}
}

/// <summary>
/// Shapes or element counts that do not match, or a destination array shorter
/// than the tensor.
/// </summary>
public sealed class QTensorShapeException : QTensorException {
  /// <summary>An exception with the given message.</summary>
  public QTensorShapeException(string message) : base(Status.ShapeMismatch, message) {}
}

/// <summary>
/// dtypes that do not match, or an operation not defined for the scheme
/// (QScale of a per-channel tensor).
/// </summary>
public sealed class QTensorTypeException : QTensorException {
  /// <summary>An exception with the given message.</summary>
  public QTensorTypeException(string message) : base(Status.TypeMismatch, message) {}
}

/// <summary>
/// A native allocation failed or its size overflows.
/// </summary>
public sealed class QTensorOutOfMemoryException : QTensorException {
  /// <summary>An exception with the given message.</summary>
  public QTensorOutOfMemoryException(string message) : base(Status.OutOfMemory, message) {}
}

/// <summary>
/// A file could not be opened, read or written.
/// </summary>
public sealed class QTensorIOException : QTensorException {
  /// <summary>An exception with the given message.</summary>
  public QTensorIOException(string message) : base(Status.Io, message) {}
}

/// <summary>
/// Serialized data is malformed or violates a limit.
/// </summary>
public sealed class QTensorCorruptDataException : QTensorException {
  /// <summary>An exception with the given message.</summary>
  public QTensorCorruptDataException(string message) : base(Status.CorruptData, message) {}
}

/// <summary>
/// A bundle entry or metadata key that is not there.
/// </summary>
public sealed class QTensorKeyNotFoundException : QTensorException {
  /// <summary>An exception with the given message.</summary>
  public QTensorKeyNotFoundException(string message) : base(Status.NotFound, message) {}
}

}  // namespace QTensor
