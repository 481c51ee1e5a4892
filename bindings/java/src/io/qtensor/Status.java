package io.qtensor;

/** Why a library call failed (the C ABI's {@code qt_status}). */
public enum Status {
  /** A bad parameter: scale, zero point, axis, step 0, a buffer too small. */
  INVALID_ARGUMENT(qt_status.QT_ERR_INVALID_ARGUMENT),
  /** An index or dimension outside the tensor. */
  OUT_OF_RANGE(qt_status.QT_ERR_OUT_OF_RANGE),
  /** Shapes or element counts that do not match. */
  SHAPE_MISMATCH(qt_status.QT_ERR_SHAPE_MISMATCH),
  /** dtypes that do not match, or an operation the scheme does not have. */
  TYPE_MISMATCH(qt_status.QT_ERR_TYPE_MISMATCH),
  /** An allocation failed or its size overflows. */
  OUT_OF_MEMORY(qt_status.QT_ERR_OUT_OF_MEMORY),
  /** A file could not be opened, read or written. */
  IO(qt_status.QT_ERR_IO),
  /** Serialized data is malformed or violates a limit. */
  CORRUPT_DATA(qt_status.QT_ERR_CORRUPT_DATA),
  /** A bug in the library. */
  INTERNAL(qt_status.QT_ERR_INTERNAL),
  /** A bundle entry or metadata key that is not there. */
  NOT_FOUND(qt_status.QT_ERR_NOT_FOUND);

  private final int code;

  Status(int code) {
    this.code = code;
  }

  /** {@return the C ABI's numeric status code} */
  public int code() {
    return code;
  }

  static Status fromCode(int code) {
    for (Status status : values()) {
      if (status.code == code) {
        return status;
      }
    }
    return INTERNAL;
  }
}
