package io.qtensor;

/**
 * Loads the JNI library (libqtensor_java.so, which links libqtensor.so).
 *
 * <p>If the system property {@code io.qtensor.library} names a file, that
 * file is loaded; otherwise {@code System.loadLibrary("qtensor_java")}
 * searches {@code java.library.path}.
 */
final class NativeLibrary {
  static final String PATH_PROPERTY = "io.qtensor.library";

  private NativeLibrary() {}

  static void load() {
    String path = System.getProperty(PATH_PROPERTY);
    if (path != null && !path.isEmpty()) {
      System.load(path);
    } else {
      System.loadLibrary("qtensor_java");
    }
  }
}
