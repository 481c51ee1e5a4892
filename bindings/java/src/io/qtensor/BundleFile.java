package io.qtensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A bundle file opened lazily (a container, docs/format.md): open() reads
 * its header only, so the names, shapes, dtypes, quantizers, float dtypes,
 * payload places and metadata are known before any tensor's values are read
 * (a per-channel or per-block quantizer reads that entry's parameter
 * payloads).
 * {@link #get} maps one tensor's payload: the tensor borrows the library's
 * own read-only mapping of the file (no copy), is {@link QTensor#isReadOnly()
 * read-only} (writing into it throws {@link QTensorException} with status
 * {@link Status#INVALID_ARGUMENT}; {@link QTensor#clone()} gives a writable
 * copy) and stays valid after this file is closed: the mapping lives as long
 * as any tensor borrows it. {@link #payloadBuffer} maps a payload's bytes
 * into Java instead, as a read-only little-endian {@link MappedByteBuffer}.
 *
 * <p>Close the file (try-with-resources); closing twice does nothing, any
 * other use after close throws IllegalStateException. A missing name throws
 * {@link QTensorException} with status NOT_FOUND; a name, or a path, holding
 * U+0000 or an unpaired surrogate throws IllegalArgumentException.
 */
public final class BundleFile implements AutoCloseable {
  private final NativeRef<NativeBundleFile> ref;
  private final Path path;

  private BundleFile(NativeBundleFile proxy, Path path) {
    ref = new NativeRef<>("BundleFile", proxy, NativeBundleFile.getCPtr(proxy),
                          NativeModuleJNI::delete_NativeBundleFile);
    this.path = path;
  }

  private NativeBundleFile handle() {
    return ref.get();
  }

  /**
   * Opens a container, reading and checking its header (IO if it cannot be read, CORRUPT_DATA if
   * it is not a container or its header or payload table is broken).
   *
   * @param path the file to open
   * @return the open file (close it)
   */
  public static BundleFile open(String path) {
    Objects.requireNonNull(path, "path");
    return new BundleFile(NativeBundleFile.open(path), Paths.get(path));
  }

  /**
   * open(String) of the path.
   *
   * @param path the file to open
   * @return the open file (close it)
   */
  public static BundleFile open(Path path) {
    Objects.requireNonNull(path, "path");
    return open(path.toString());
  }

  /** {@return the number of entries (tensors and float entries)} */
  public int size() {
    return Math.toIntExact(handle().size());
  }

  /** {@return the entries' names in the file's order (an unmodifiable copy)} */
  public List<String> names() {
    return Collections.unmodifiableList(Arrays.asList(handle().names()));
  }

  /**
   * {@return true if the file has an entry of that name}
   *
   * @param name the entry's name
   */
  public boolean contains(String name) {
    Objects.requireNonNull(name, "name");
    return handle().contains(name);
  }

  /**
   * {@return the named tensor, read-only, borrowing a mapping of its payload (TYPE_MISMATCH for a
   * float entry; CORRUPT_DATA if the file was truncated since it was opened)} The checksum is
   * checked only by {@link #verify(String)}. Should the file shrink while the tensor maps it, the
   * lost pages read as zeros (the library handles the SIGBUS) and verify reports the change.
   *
   * @param name the entry's name
   */
  public QTensor get(String name) {
    Objects.requireNonNull(name, "name");
    return new QTensor(handle().get(name));
  }

  /**
   * {@return true if the named entry is a float entry, false if a tensor}
   *
   * @param name the entry's name
   */
  public boolean isFloat(String name) {
    Objects.requireNonNull(name, "name");
    return handle().is_float(name);
  }

  /**
   * {@return the named entry's shape, from the header}
   *
   * @param name the entry's name
   */
  public long[] shape(String name) {
    Objects.requireNonNull(name, "name");
    return handle().shape(name);
  }

  /**
   * {@return the named tensor's dtype, from the header (TYPE_MISMATCH for a float entry)}
   *
   * @param name the entry's name
   */
  public DType dtype(String name) {
    Objects.requireNonNull(name, "name");
    return DType.fromCode(handle().dtype(name));
  }

  /**
   * {@return the named tensor's quantizer, from the header (TYPE_MISMATCH for a float entry;
   * close it)}
   *
   * @param name the entry's name
   */
  public Quantizer quantizer(String name) {
    Objects.requireNonNull(name, "name");
    return new Quantizer(handle().quantizer(name));
  }

  /**
   * {@return the named float entry's dtype, from the header (TYPE_MISMATCH for a tensor)}
   *
   * @param name the entry's name
   */
  public FloatDType floatDType(String name) {
    Objects.requireNonNull(name, "name");
    return FloatDType.fromCode(handle().float_dtype(name));
  }

  /**
   * {@return where the named entry's payload starts in the file, in bytes (a multiple of 64)}
   *
   * @param name the entry's name
   */
  public long payloadOffset(String name) {
    Objects.requireNonNull(name, "name");
    return handle().payload_offset(name);
  }

  /**
   * {@return the length of the named entry's payload, in bytes}
   *
   * @param name the entry's name
   */
  public long payloadLength(String name) {
    Objects.requireNonNull(name, "name");
    return handle().payload_length(name);
  }

  /**
   * Maps the named entry's payload, without a copy, as a read-only buffer in little-endian
   * order: a tensor's integers in storage form (one byte per value for QINT8 and QUINT8, two or
   * four little-endian bytes for the wider dtypes, packed bytes for the 4- and 2-bit ones), a
   * float entry's values. The file is mapped through a channel of its own, opened on the path
   * given to open(), which must still name the same file. The buffer stays valid after close();
   * reading it after the file was truncated throws InternalError (Java's report of the fault).
   *
   * @param name the entry's name
   * @return the payload's bytes, position 0, limit payloadLength(name)
   * @throws UncheckedIOException if the file cannot be opened or mapped
   * @throws IllegalArgumentException if the payload is larger than a buffer can be (2 GiB)
   */
  public MappedByteBuffer payloadBuffer(String name) {
    long offset = payloadOffset(name);
    long length = payloadLength(name);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
      buffer.order(ByteOrder.LITTLE_ENDIAN);
      return buffer;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot map the payload of \"" + name + "\"", e);
    }
  }

  /**
   * {@return the value of a metadata key (NOT_FOUND if absent)}
   *
   * @param key the metadata key
   */
  public String getMetadata(String key) {
    Objects.requireNonNull(key, "key");
    return handle().metadata(key);
  }

  /** {@return the metadata keys in sorted order (an unmodifiable copy)} */
  public List<String> metadataKeys() {
    return Collections.unmodifiableList(Arrays.asList(handle().metadata_keys()));
  }

  /** {@return the number of metadata keys (without listing them)} */
  public int metadataSize() {
    return Math.toIntExact(handle().metadata_size());
  }

  /**
   * {@return a bundle of the named entries (tensors and float entries) and the metadata; its
   * tensors borrow the file's mapping as get() does (close it)}
   *
   * @param names the entries' names (NOT_FOUND for one not there)
   */
  public Bundle select(String... names) {
    Objects.requireNonNull(names, "names");
    for (String name : names) {
      Objects.requireNonNull(name, "names holds null");
    }
    return new Bundle(handle().select(names));
  }

  /** {@return every entry and the metadata as a bundle, as select() of every name (close it)} */
  public Bundle toBundle() {
    return new Bundle(handle().to_bundle());
  }

  /**
   * Recomputes the named entry's checksum (XXH3-64) and compares it with the header's
   * (CORRUPT_DATA naming the entry if it differs; an entry stored without one passes).
   *
   * @param name the entry's name
   */
  public void verify(String name) {
    Objects.requireNonNull(name, "name");
    handle().verify(name);
  }

  /** verify(String) of every entry, in the file's order. */
  public void verify() {
    handle().verify();
  }

  /** For example {@code BundleFile[w, b]}; "BundleFile(closed)" once closed. */
  @Override
  public String toString() {
    return ref.isClosed() ? "BundleFile(closed)" : "BundleFile" + names();
  }

  /** {@return true once close() was called} */
  public boolean isClosed() {
    return ref.isClosed();
  }

  /** Closes the file (tensors and buffers taken from it stay valid); closing again does nothing. */
  @Override
  public void close() {
    ref.close();
  }
}
