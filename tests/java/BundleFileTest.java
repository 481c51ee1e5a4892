package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.qtensor.Bundle;
import io.qtensor.BundleFile;
import io.qtensor.BundleWriter;
import io.qtensor.DType;
import io.qtensor.FloatDType;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Quantizer;
import io.qtensor.Status;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.function.ThrowingRunnable;
import org.junit.rules.TemporaryFolder;

/** Containers: the streaming writer, the lazy reader, mapped read-only tensors and buffers. */
public class BundleFileTest {
  @Rule public TemporaryFolder folder = new TemporaryFolder();

  // float16: a signalling NaN, -0.0, the smallest subnormal.
  static final byte[] F16 = BundleFloatsTest.littleEndianShorts(0x7c01, 0x8000, 0x0001);
  static final double[] SCALES = {0.05, 0.1, 0.2};

  // [3, 4] quint8 per channel (axis 0), value(i) = i * 0.37 - 2.0.
  static QTensor perChannel() {
    float[] values = new float[12];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (i * 0.37 - 2.0);
    }
    return QTensor.quantizePerChannel(values, new long[] {3, 4}, SCALES, new long[] {0, 128, 255},
                                      0, DType.QUINT8);
  }

  // [4] qint32 per tensor, integers {10000, -25000, 3, 0} + zero point -7.
  static QTensor wide() {
    return QTensor.quantizePerTensor(new float[] {10, -25, 0.003f, 0}, new long[] {4}, 0.001, -7,
                                     DType.QINT32);
  }

  // "w" (quint8 per channel), "f16" (float entry), "i" (qint32), two metadata keys.
  Path writeSample() throws IOException {
    Path path = folder.getRoot().toPath().resolve("sample.qtc");
    try (BundleWriter writer = BundleWriter.open(path);
         QTensor w = perChannel();
         QTensor i = wide()) {
      writer.add("w", w)
          .addFloat("f16", F16, new long[] {3}, FloatDType.FLOAT16)
          .add("i", i)
          .setMetadata("format", "container")
          .setMetadata("writer", "java");
      writer.finish();
    }
    return path;
  }

  static void assertStatus(Status status, ThrowingRunnable call) {
    assertEquals(status, assertThrows(QTensorException.class, call).status());
  }

  @Test
  public void theHeaderDescribesEveryEntryBeforeAnyPayloadIsRead() throws IOException {
    Path path = writeSample();
    byte[] magic = new byte[8];
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
      file.readFully(magic);
    }
    assertArrayEquals("\u0089QTBNDL\n".getBytes(StandardCharsets.ISO_8859_1), magic);
    try (BundleFile file = BundleFile.open(path)) {
      assertEquals(3, file.size());
      assertEquals(List.of("w", "f16", "i"), file.names());
      assertTrue(file.contains("f16"));
      assertFalse(file.contains("x"));
      assertFalse(file.isFloat("w"));
      assertTrue(file.isFloat("f16"));
      assertArrayEquals(new long[] {3, 4}, file.shape("w"));
      assertArrayEquals(new long[] {3}, file.shape("f16"));
      assertEquals(DType.QUINT8, file.dtype("w"));
      assertEquals(DType.QINT32, file.dtype("i"));
      assertEquals(FloatDType.FLOAT16, file.floatDType("f16"));
      try (Quantizer quantizer = file.quantizer("w")) {
        assertArrayEquals(SCALES, quantizer.scales(), 0.0);
        assertArrayEquals(new long[] {0, 128, 255}, quantizer.zeroPoints());
        assertEquals(0, quantizer.axis());
      }
      try (Quantizer quantizer = file.quantizer("i")) {
        assertEquals(0.001, quantizer.scale(), 0.0);
        assertEquals(-7, quantizer.zeroPoint());
      }
      for (String name : file.names()) {
        assertEquals(name, 0, file.payloadOffset(name) % 64);
      }
      assertEquals(12, file.payloadLength("w"));
      assertEquals(6, file.payloadLength("f16"));
      assertEquals(16, file.payloadLength("i"));
      assertEquals(List.of("format", "writer"), file.metadataKeys());
      assertEquals(2, file.metadataSize());
      assertEquals("java", file.getMetadata("writer"));
      assertEquals("BundleFile[w, f16, i]", file.toString());
      file.verify();
      file.verify("w");
    }
  }

  @Test
  public void mappedTensorsHoldTheWrittenIntegersAndAreReadOnly() throws IOException {
    Path path = writeSample();
    try (BundleFile file = BundleFile.open(path);
         QTensor expected = perChannel();
         QTensor w = file.get("w")) {
      assertTrue(w.isReadOnly());
      assertFalse(expected.isReadOnly());
      assertArrayEquals(expected.intRepr(), w.intRepr());
      assertArrayEquals(SCALES, w.qPerChannelScales(), 0.0);
      assertArrayEquals(expected.dequantize(), w.dequantize(), 0f);
      assertStatus(Status.INVALID_ARGUMENT, () -> w.fill(1f));
      assertStatus(Status.INVALID_ARGUMENT, () -> w.setValue(new long[] {0, 0}, 1f));
      try (QTensor view = w.select(0, 1)) {
        assertTrue(view.isReadOnly());
        assertStatus(Status.INVALID_ARGUMENT, () -> view.reluInPlace());
      }
      assertArrayEquals(expected.intRepr(), w.intRepr());
      try (QTensor copy = w.clone()) {
        assertFalse(copy.isReadOnly());
        copy.fill(0f);
        assertArrayEquals(new int[] {0, 0, 0, 0}, copy.select(0, 0).intRepr());
      }
      assertStatus(Status.TYPE_MISMATCH, () -> file.get("f16"));
    }
  }

  @Test
  public void payloadBuffersMapTheIntegersWithoutACopy() throws IOException {
    Path path = writeSample();
    MappedByteBuffer wBytes;
    MappedByteBuffer iBytes;
    MappedByteBuffer fBytes;
    try (BundleFile file = BundleFile.open(path)) {
      wBytes = file.payloadBuffer("w");
      iBytes = file.payloadBuffer("i");
      fBytes = file.payloadBuffer("f16");
    }
    // The buffers outlive the file.
    assertTrue(wBytes.isReadOnly());
    assertTrue(wBytes.isDirect());
    assertEquals(ByteOrder.LITTLE_ENDIAN, iBytes.order());
    assertEquals(12, wBytes.remaining());
    try (QTensor w = perChannel(); QTensor i = wide()) {
      int[] integers = w.intRepr();
      for (int k = 0; k < integers.length; k++) {
        assertEquals(integers[k], Byte.toUnsignedInt(wBytes.get(k)));
      }
      assertArrayEquals(new int[] {9993, -25007, -4, -7}, i.intRepr());
      for (int k = 0; k < 4; k++) {
        assertEquals(i.intRepr()[k], iBytes.getInt(4 * k));
      }
    }
    byte[] f16 = new byte[fBytes.remaining()];
    fBytes.get(f16);
    assertArrayEquals(F16, f16);
    assertThrows(ReadOnlyBufferException.class, () -> wBytes.put(0, (byte) 1));
  }

  @Test
  public void tensorsOutliveTheClosedFile() throws IOException {
    Path path = writeSample();
    QTensor w;
    Bundle selected;
    try (BundleFile file = BundleFile.open(path)) {
      w = file.get("w");
      selected = file.select("f16", "w");
    }
    try (QTensor expected = perChannel(); QTensor taken = w; Bundle bundle = selected) {
      assertArrayEquals(expected.intRepr(), taken.intRepr());
      assertEquals(List.of("f16", "w"), bundle.names());
      assertArrayEquals(F16, bundle.floatData("f16"));
      assertEquals("container", bundle.getMetadata("format"));
      try (QTensor again = bundle.get("w")) {
        assertTrue(again.isReadOnly());
        assertArrayEquals(expected.intRepr(), again.intRepr());
      }
    }
    try (BundleFile file = BundleFile.open(path); Bundle all = file.toBundle()) {
      assertEquals(List.of("w", "f16", "i"), all.names());
      assertEquals(List.of("format", "writer"), all.metadataKeys());
    }
  }

  @Test
  public void verifyFindsAFlippedPayloadByte() throws IOException {
    Path path = writeSample();
    long offset;
    try (BundleFile file = BundleFile.open(path)) {
      offset = file.payloadOffset("i") + 5;
    }
    try (RandomAccessFile raw = new RandomAccessFile(path.toFile(), "rw")) {
      raw.seek(offset);
      int value = raw.read();
      raw.seek(offset);
      raw.write(value ^ 0x01);
    }
    try (BundleFile file = BundleFile.open(path)) {
      file.verify("w");
      file.verify("f16");
      QTensorException one = assertThrows(QTensorException.class, () -> file.verify("i"));
      assertEquals(Status.CORRUPT_DATA, one.status());
      assertTrue(one.getMessage(), one.getMessage().contains("\"i\""));
      assertStatus(Status.CORRUPT_DATA, file::verify);
    }
  }

  @Test
  public void aFileTruncatedWhileMappedReadsZerosInsteadOfEndingTheJvm() throws IOException {
    Path path = folder.getRoot().toPath().resolve("cut.qtc");
    float[] values = new float[65536];  // 64 KiB of quint8: 16 pages
    for (int i = 0; i < values.length; i++) {
      values[i] = (i % 250 + 1) * 0.5f;
    }
    try (BundleWriter writer = BundleWriter.open(path);
         QTensor big = QTensor.quantizePerTensor(values, new long[] {values.length}, 0.5, 0,
                                                 DType.QUINT8)) {
      writer.add("big", big);
      writer.finish();
    }
    try (BundleFile file = BundleFile.open(path); QTensor mapped = file.get("big")) {
      long offset = file.payloadOffset("big");
      try (RandomAccessFile raw = new RandomAccessFile(path.toFile(), "rw")) {
        raw.setLength(offset + 16384);  // another writer cuts the file
      }
      int[] integers = mapped.intRepr();  // a SIGBUS the library handles
      assertEquals(values.length, integers.length);
      assertEquals(1, integers[0]);
      assertEquals(0, integers[values.length - 1]);
      assertStatus(Status.CORRUPT_DATA, file::verify);
      assertStatus(Status.CORRUPT_DATA, () -> file.get("big").close());
    }
  }

  @Test
  public void anAbandonedWriterLeavesNoFile() throws IOException {
    Path path = folder.getRoot().toPath().resolve("abandoned.qtc");
    try (BundleWriter writer = BundleWriter.open(path); QTensor w = perChannel()) {
      writer.add("w", w);
    }
    assertFalse(Files.exists(path));
    try (var entries = Files.list(folder.getRoot().toPath())) {
      assertEquals(0, entries.count());
    }
    // An existing file is left as it was.
    Files.write(path, new byte[] {1, 2, 3});
    try (BundleWriter writer = BundleWriter.open(path); QTensor w = perChannel()) {
      writer.add("w", w);
    }
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(path));
  }

  @Test
  public void saveContainerAndSaveMessageWriteTheTwoForms() throws IOException {
    Path container = folder.getRoot().toPath().resolve("c.qtb");
    Path message = folder.getRoot().toPath().resolve("m.qtb");
    Path saved = folder.getRoot().toPath().resolve("s.qtb");
    try (Bundle bundle = new Bundle(); QTensor w = perChannel()) {
      bundle.put("w", w).putMetadata("k", "v");
      bundle.saveContainer(container);
      bundle.saveMessage(message);
      bundle.save(saved);
    }
    assertEquals((byte) 0x89, Files.readAllBytes(container)[0]);
    assertEquals((byte) 0x89, Files.readAllBytes(saved)[0]);
    assertEquals((byte) 0x0a, Files.readAllBytes(message)[0]);
    try (Bundle fromContainer = Bundle.load(container); Bundle fromMessage = Bundle.load(message);
         QTensor a = fromContainer.get("w"); QTensor b = fromMessage.get("w")) {
      assertTrue(a.isReadOnly());
      assertFalse(b.isReadOnly());
      assertArrayEquals(a.intRepr(), b.intRepr());
      assertEquals("v", fromMessage.getMetadata("k"));
    }
    assertStatus(Status.CORRUPT_DATA, () -> BundleFile.open(message));
  }

  @Test
  public void badInputIsRefusedWithTheRightException() throws IOException {
    Path path = writeSample();
    Path dir = folder.getRoot().toPath();
    try (BundleFile file = BundleFile.open(path)) {
      assertThrows(NullPointerException.class, () -> file.get(null));
      assertThrows(NullPointerException.class, () -> file.select("w", null));
      assertThrows(IllegalArgumentException.class, () -> file.get("w\u0000"));
      assertThrows(IllegalArgumentException.class, () -> file.shape("\ud800"));
      assertThrows(IllegalArgumentException.class, () -> file.select("w", "\udc00x"));
      assertStatus(Status.NOT_FOUND, () -> file.get("missing"));
      assertStatus(Status.NOT_FOUND, () -> file.payloadBuffer("missing"));
      assertStatus(Status.NOT_FOUND, () -> file.select("w", "missing"));
      assertStatus(Status.NOT_FOUND, () -> file.getMetadata("missing"));
      assertStatus(Status.INVALID_ARGUMENT, () -> file.select("w", "w"));
      assertStatus(Status.TYPE_MISMATCH, () -> file.dtype("f16"));
      assertStatus(Status.TYPE_MISMATCH, () -> file.floatDType("w"));
    }
    assertStatus(Status.IO, () -> BundleFile.open(dir.resolve("missing.qtc")));
    Path garbage = dir.resolve("garbage.qtc");
    Files.write(garbage, "\u0089QTBNDL\nnot a header".getBytes(StandardCharsets.ISO_8859_1));
    assertStatus(Status.CORRUPT_DATA, () -> BundleFile.open(garbage));
    // A truncated file fails at open, naming the rule, never later.
    byte[] whole = Files.readAllBytes(path);
    Path truncated = dir.resolve("truncated.qtc");
    Files.write(truncated, Arrays.copyOf(whole, whole.length - 1));
    assertStatus(Status.CORRUPT_DATA, () -> BundleFile.open(truncated));
    assertThrows(IllegalArgumentException.class, () -> BundleFile.open("a\u0000b"));

    Path out = dir.resolve("out.qtc");
    try (BundleWriter writer = BundleWriter.open(out); QTensor w = perChannel()) {
      assertThrows(NullPointerException.class, () -> writer.add(null, w));
      assertThrows(NullPointerException.class, () -> writer.add("w", null));
      assertThrows(IllegalArgumentException.class, () -> writer.add("\ud800", w));
      assertThrows(IllegalArgumentException.class, () -> writer.setMetadata("k", "v\u0000"));
      assertStatus(Status.SHAPE_MISMATCH,
                   () -> writer.addFloat("f", F16, new long[] {4}, FloatDType.FLOAT16));
      assertStatus(Status.INVALID_ARGUMENT, () -> writer.add("", w));
      writer.add("w", w);
      assertStatus(Status.INVALID_ARGUMENT, () -> writer.add("w", w));
    }
    assertFalse(Files.exists(out));
    assertStatus(Status.IO, () -> BundleWriter.open(dir.resolve("no/such/dir/x.qtc")));
  }

  @Test
  public void useAfterCloseThrowsIllegalState() throws IOException {
    Path path = writeSample();
    BundleFile file = BundleFile.open(path);
    file.close();
    file.close();
    assertTrue(file.isClosed());
    assertEquals("BundleFile(closed)", file.toString());
    assertThrows(IllegalStateException.class, () -> file.names());
    assertThrows(IllegalStateException.class, () -> file.get("w"));
    BundleWriter writer = BundleWriter.open(folder.getRoot().toPath().resolve("x.qtc"));
    writer.close();
    writer.close();
    assertThrows(IllegalStateException.class, writer::finish);
  }
}
