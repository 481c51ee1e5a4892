package io.qtensor;

import java.lang.ref.Cleaner;
import java.util.function.LongConsumer;

/**
 * Owns one SWIG proxy and its native object. close() frees the object at
 * once (a second close does nothing); an unclosed one is freed by a Cleaner
 * after its proxy becomes unreachable. The Cleaner watches the proxy, not
 * the public object, because SWIG passes the proxy to every native call and
 * so keeps it reachable for the length of the call.
 */
final class NativeRef<T> {
  private static final Cleaner CLEANER = Cleaner.create();

  private final String kind;
  private final Cleaner.Cleanable cleanable;
  private volatile T proxy;

  NativeRef(String kind, T proxy, long pointer, LongConsumer delete) {
    this.kind = kind;
    this.proxy = proxy;
    this.cleanable = CLEANER.register(proxy, () -> delete.accept(pointer));
  }

  /** The proxy; IllegalStateException once closed. */
  T get() {
    T current = proxy;
    if (current == null) {
      throw new IllegalStateException("this " + kind + " is closed");
    }
    return current;
  }

  boolean isClosed() {
    return proxy == null;
  }

  void close() {
    if (proxy != null) {
      proxy = null;
      cleanable.clean();
    }
  }
}
