package io.qtensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads the JNI library (libqtensor_java.so, which links libqtensor.so), in
 * this order:
 *
 * <ol>
 *   <li>the file named by the system property {@code io.qtensor.library},
 *       when it is set;
 *   <li>the copies the jar carries for this platform, under
 *       {@code io/qtensor/native/OS-ARCH/} (listed in {@code libraries.txt}
 *       there): extracted into a new directory only the user can read,
 *       loaded, and deleted again;
 *   <li>{@code System.loadLibrary("qtensor_java")} from
 *       {@code java.library.path}, for a jar without a copy for this
 *       platform.
 * </ol>
 *
 * <p>The jar's own copies come before {@code java.library.path}, so the
 * classes always run with the library built with them, never with an older
 * one installed elsewhere.
 */
final class NativeLibrary {
  static final String PATH_PROPERTY = "io.qtensor.library";
  private static final String RESOURCE_ROOT = "/io/qtensor/native/";
  private static final String LIST_NAME = "libraries.txt";

  private NativeLibrary() {}

  static void load() {
    String path = System.getProperty(PATH_PROPERTY);
    if (path != null && !path.isEmpty()) {
      System.load(path);
      return;
    }
    String platform = platform();
    List<String> bundled = bundledLibraries(platform);
    if (!bundled.isEmpty()) {
      loadBundled(platform, bundled);
      return;
    }
    try {
      System.loadLibrary("qtensor_java");
    } catch (UnsatisfiedLinkError e) {
      throw loadError(
          "qtensor: this jar carries no native library for " + platform + " (os.name "
              + System.getProperty("os.name") + ", os.arch " + System.getProperty("os.arch")
              + ") and none was found on java.library.path; build qtensor for this platform and"
              + " name its libqtensor_java.so with -D" + PATH_PROPERTY + "=FILE",
          e);
    }
  }

  /** OS-ARCH as the build names its directory in the jar: linux-x86_64, ... */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.startsWith("linux")) {
      os = "linux";
    } else if (os.startsWith("mac") || os.startsWith("darwin")) {
      os = "macos";
    } else if (os.startsWith("windows")) {
      os = "windows";
    } else {
      os = os.replaceAll("[^a-z0-9]+", "");
    }
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    switch (arch) {
      case "amd64":
      case "x86_64":
        arch = "x86_64";
        break;
      case "arm64":
      case "aarch64":
        arch = "aarch64";
        break;
      default:
        arch = arch.replaceAll("[^a-z0-9_]+", "");
    }
    return os + "-" + arch;
  }

  /** The file names listed for PLATFORM, in load order; empty without a list. */
  private static List<String> bundledLibraries(String platform) {
    List<String> names = new ArrayList<>();
    try (InputStream list =
             NativeLibrary.class.getResourceAsStream(RESOURCE_ROOT + platform + "/" + LIST_NAME)) {
      if (list == null) {
        return names;
      }
      for (String line : new String(list.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          names.add(line.strip());
        }
      }
    } catch (IOException e) {
      throw loadError(
          "qtensor: cannot read the jar's list of native libraries for " + platform + ": " + e, e);
    }
    return names;
  }

  private static void loadBundled(String platform, List<String> names) {
    Path directory = null;
    List<Path> files = new ArrayList<>();
    try {
      directory = privateTempDirectory();
      for (String name : names) {
        Path file = directory.resolve(name);
        files.add(file);
        try (InputStream in =
                 NativeLibrary.class.getResourceAsStream(RESOURCE_ROOT + platform + "/" + name)) {
          if (in == null) {
            throw loadError(
                "qtensor: the jar lists " + name + " for " + platform + " but does not hold it",
                null);
          }
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      // The JNI module comes last and finds libqtensor.so already loaded
      // (and beside it, through its RUNPATH $ORIGIN).
      for (Path file : files) {
        try {
          System.load(file.toAbsolutePath().toString());
        } catch (UnsatisfiedLinkError e) {
          throw loadError("qtensor: cannot load " + file.getFileName() + " extracted from the jar: "
                              + e.getMessage() + " (if java.io.tmpdir is mounted noexec, set"
                              + " -Djava.io.tmpdir to another directory)",
                          e);
        }
      }
    } catch (IOException e) {
      String where = directory == null ? "a temporary directory" : directory.toString();
      throw loadError("qtensor: cannot extract the native libraries for " + platform + " to "
                          + where + " (set java.io.tmpdir to a writable directory): " + e,
                      e);
    } finally {
      // Loaded libraries stay mapped: the files are not needed any more.
      for (Path file : files) {
        deleteOrLater(file);
      }
      if (directory != null) {
        deleteOrLater(directory);
      }
    }
  }

  private static Path privateTempDirectory() throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return Files.createTempDirectory(
          "qtensor-native-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return Files.createTempDirectory("qtensor-native-");
  }

  private static void deleteOrLater(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      path.toFile().deleteOnExit();
    }
  }

  /** An UnsatisfiedLinkError, which is what a failed System.load throws, with its cause. */
  private static UnsatisfiedLinkError loadError(String message, Throwable cause) {
    UnsatisfiedLinkError error = new UnsatisfiedLinkError(message);
    if (cause != null) {
      error.initCause(cause);
    }
    return error;
  }
}
