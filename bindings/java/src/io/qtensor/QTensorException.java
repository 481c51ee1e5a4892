package io.qtensor;

import java.util.Objects;

/** A failed qtensor operation: the library's status and message. */
public class QTensorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The status the library reported. */
  private final Status status;

  /**
   * An exception of the given status and message.
   *
   * @param status why the operation failed
   * @param message what went wrong, in words
   */
  public QTensorException(Status status, String message) {
    super(message);
    this.status = Objects.requireNonNull(status, "status");
  }

  // Called from the JNI library with a qt_status code.
  QTensorException(int code, String message) {
    this(Status.fromCode(code), message);
  }

  /** {@return why the operation failed} */
  public Status status() {
    return status;
  }

  /** The class, status and message: {@code io.qtensor.QTensorException [IO]: ...}. */
  @Override
  public String toString() {
    return getClass().getName() + " [" + status + "]: " + getMessage();
  }
}
