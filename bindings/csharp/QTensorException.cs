// Exceptions of the QTensor library. Every failure the native library reports
// is a QTensorException carrying its Status; the subclasses name the kind.
// (Null arguments throw ArgumentNullException and disposed objects
// ObjectDisposedException, as everywhere in .NET.)
using System;

namespace QTensor {

public class QTensorException : Exception {
  public QTensorException(Status status, string message) : base(message) {
    Status = status;
  }

  // The library's status code (never Status.Ok).
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

// A bad parameter: scale, zero point, axis, step 0, a duplicate name, ...
public sealed class QTensorArgumentException : QTensorException {
  public QTensorArgumentException(string message) : base(Status.InvalidArgument, message) {}
}

// An index or dimension outside the tensor.
public sealed class QTensorIndexException : QTensorException {
  public QTensorIndexException(string message) : base(Status.OutOfRange, message) {}
}

// Shapes or element counts that do not match.
public sealed class QTensorShapeException : QTensorException {
  public QTensorShapeException(string message) : base(Status.ShapeMismatch, message) {}
}

// dtypes that do not match, or an operation not defined for the scheme
// (QScale of a per-channel tensor).
public sealed class QTensorTypeException : QTensorException {
  public QTensorTypeException(string message) : base(Status.TypeMismatch, message) {}
}

// A native allocation failed or its size overflows.
public sealed class QTensorOutOfMemoryException : QTensorException {
  public QTensorOutOfMemoryException(string message) : base(Status.OutOfMemory, message) {}
}

// A file could not be opened, read or written.
public sealed class QTensorIOException : QTensorException {
  public QTensorIOException(string message) : base(Status.Io, message) {}
}

// Serialized data is malformed or violates a limit.
public sealed class QTensorCorruptDataException : QTensorException {
  public QTensorCorruptDataException(string message) : base(Status.CorruptData, message) {}
}

// A bundle entry or metadata key that is not there.
public sealed class QTensorKeyNotFoundException : QTensorException {
  public QTensorKeyNotFoundException(string message) : base(Status.NotFound, message) {}
}

}  // namespace QTensor
