package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.qtensor.Bundle;
import io.qtensor.DType;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Quantizer;
import io.qtensor.Status;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.Test;
import org.junit.function.ThrowingRunnable;

public class ErrorsAndLifetimeTest {
  static QTensor small() {
    return QTensor.quantizePerTensor(new float[] {1f, 2f, 3f, 4f}, new long[] {2, 2}, 0.5, 0,
                                     DType.QINT8);
  }

  static QTensorException assertStatus(Status status, String message, ThrowingRunnable action) {
    QTensorException error = assertThrows(QTensorException.class, action);
    assertEquals(status, error.status());
    assertEquals(message, error.getMessage());
    return error;
  }

  @Test
  public void libraryErrorsCarryStatusAndMessage() {
    assertStatus(Status.INVALID_ARGUMENT, "scale must be positive and finite, got -0.1",
        () -> QTensor.quantizePerTensor(new float[] {1f}, new long[] {1}, -0.1, 0, DType.QINT8));
    assertStatus(Status.SHAPE_MISMATCH, "got 3 values for a shape of 4 elements",
        () -> QTensor.quantizePerTensor(new float[3], new long[] {4}, 0.1, 0, DType.QINT8));
    try (QTensor q = small()) {
      assertStatus(Status.OUT_OF_RANGE, "index 2 is out of bounds for dimension 0 with size 2",
          () -> q.get(2));
      assertStatus(Status.TYPE_MISMATCH, "the tensor is per-tensor quantized: it has no channel axis",
          q::qPerChannelAxis);
      assertStatus(Status.TYPE_MISMATCH, "intReprUInt8 needs a QUINT8 or QUINT4X2 or QUINT2X4 or QUINT4 tensor, got QINT8",
          q::intReprUInt8);
      assertStatus(Status.TYPE_MISMATCH, "intReprInt32 needs a QINT32 tensor, got QINT8",
          q::intReprInt32);
      assertStatus(Status.SHAPE_MISMATCH, "item(): a tensor with 4 elements cannot be converted to a scalar",
          q::item);
    }
  }

  @Test
  public void libraryErrorsNameTheBadValue() {
    QTensorException zeroPoint = assertThrows(QTensorException.class,
        () -> Quantizer.perTensor(0.1, 300, DType.QUINT8));
    assertEquals(Status.INVALID_ARGUMENT, zeroPoint.status());
    assertTrue(zeroPoint.getMessage(), zeroPoint.getMessage().contains("300"));
    try (QTensor q = small()) {
      QTensorException dim = assertThrows(QTensorException.class, () -> q.transpose(0, 5));
      assertEquals(Status.OUT_OF_RANGE, dim.status());
      assertTrue(dim.getMessage(), dim.getMessage().contains("5"));
      QTensorException step = assertThrows(QTensorException.class, () -> q.slice(0, 0, 2, 0));
      assertEquals(Status.INVALID_ARGUMENT, step.status());
      QTensorException permutation = assertThrows(QTensorException.class, () -> q.permute(0, 0));
      assertEquals(Status.INVALID_ARGUMENT, permutation.status());
      QTensorException index = assertThrows(QTensorException.class,
          () -> q.setValue(new long[] {0}, 1f));
      assertEquals(Status.OUT_OF_RANGE, index.status());
      assertEquals(Status.OUT_OF_RANGE,
          assertThrows(QTensorException.class, () -> q.size(2)).status());
    }
  }

  @Test
  public void badShapesAreRejected() {
    try (Quantizer quantizer = Quantizer.perTensor(1, 0, DType.QINT8)) {
      assertStatus(Status.INVALID_ARGUMENT, "negative size -1 in dim 0",
          () -> QTensor.emptyQuantized(new long[] {-1}, quantizer));
      assertStatus(Status.INVALID_ARGUMENT, "rank 65 exceeds the maximum of 64",
          () -> QTensor.emptyQuantized(new long[65], quantizer));
      assertEquals(Status.OUT_OF_MEMORY, assertThrows(QTensorException.class,
          () -> QTensor.emptyQuantized(new long[] {1L << 40, 1L << 40}, quantizer)).status());
    }
  }

  @Test
  public void exceptionIsUncheckedAndPrintsItsStatus() {
    QTensorException error = new QTensorException(Status.IO, "no such file");
    assertTrue(error instanceof RuntimeException);
    assertEquals("io.qtensor.QTensorException [IO]: no such file", error.toString());
    assertEquals(6, Status.IO.code());
  }

  @Test
  public void copyBetweenDtypesOrShapesFails() {
    try (QTensor q = small();
         QTensor other = QTensor.quantizePerTensor(new float[4], new long[] {2, 2}, 0.5, 0,
                                                   DType.QUINT8);
         QTensor longer = QTensor.quantizePerTensor(new float[5], new long[] {5}, 0.5, 0,
                                                    DType.QINT8)) {
      assertEquals(Status.TYPE_MISMATCH,
          assertThrows(QTensorException.class, () -> q.copyFrom(other)).status());
      assertEquals(Status.SHAPE_MISMATCH,
          assertThrows(QTensorException.class, () -> q.copyFrom(longer)).status());
      assertEquals(Status.SHAPE_MISMATCH,
          assertThrows(QTensorException.class, () -> q.copyFrom(new float[3])).status());
    }
  }

  @Test
  public void nullArgumentsThrowNullPointerException() {
    try (QTensor q = small(); Quantizer quantizer = Quantizer.perTensor(1, 0, DType.QINT8)) {
      assertThrows(NullPointerException.class,
          () -> QTensor.quantize((float[]) null, new long[] {1}, quantizer));
      assertThrows(NullPointerException.class,
          () -> QTensor.quantize(new float[1], null, quantizer));
      assertThrows(NullPointerException.class,
          () -> QTensor.quantize(new float[1], new long[] {1}, null));
      assertThrows(NullPointerException.class,
          () -> QTensor.quantize((FloatBuffer) null, new long[] {1}, quantizer));
      assertThrows(NullPointerException.class,
          () -> QTensor.quantizePerTensor(new float[1], new long[] {1}, 1, 0, null));
      assertThrows(NullPointerException.class,
          () -> Quantizer.perChannel(null, new long[] {0}, 0, DType.QINT8));
      assertThrows(NullPointerException.class,
          () -> QTensor.fromIntRepr((byte[]) null, new long[] {1}, quantizer));
      assertThrows(NullPointerException.class, () -> QTensor.deserialize(null));
      assertThrows(NullPointerException.class, () -> q.copyFrom((QTensor) null));
      assertThrows(NullPointerException.class, () -> q.copyFrom((float[]) null));
      assertThrows(NullPointerException.class, () -> q.permute((long[]) null));
      assertThrows(NullPointerException.class, () -> q.getValue((long[]) null));
      assertThrows(NullPointerException.class, () -> q.setValue(null, 1f));
      assertThrows(NullPointerException.class, () -> q.save((String) null));
    }
  }

  @Test
  public void closeTwiceIsHarmlessAndUseAfterCloseThrows() {
    QTensor q = small();
    QTensor view = q.get(1);
    q.close();
    q.close();
    assertTrue(q.isClosed());
    assertEquals("QTensor(closed)", q.toString());
    List<Consumer<QTensor>> uses = new ArrayList<>();
    uses.add(QTensor::dequantize);
    uses.add(QTensor::intRepr);
    uses.add(QTensor::numel);
    uses.add(QTensor::shape);
    uses.add(QTensor::dtype);
    uses.add(QTensor::qScale);
    uses.add(QTensor::quantizer);
    uses.add(t -> t.get(0));
    uses.add(t -> t.slice(0, 0, 1));
    uses.add(t -> t.transpose(0, 1));
    uses.add(t -> t.fill(1f));
    uses.add(t -> t.setValue(new long[] {0, 0}, 1f));
    uses.add(QTensor::serialize);
    uses.add(QTensor::share);
    uses.add(QTensor::qNumChannels);
    uses.add(t -> t.dequantizeTo(new float[4]));
    uses.add(t -> t.intReprTo(new byte[4]));
    for (Consumer<QTensor> use : uses) {
      IllegalStateException error = assertThrows(IllegalStateException.class,
          () -> use.accept(q));
      assertEquals("this QTensor is closed", error.getMessage());
    }
    // The view owns its own handle to the shared storage.
    assertArrayEquals(new int[] {6, 8}, view.intRepr());
    assertThrows(IllegalStateException.class, () -> view.copyFrom(q));
    view.close();
  }

  @Test
  public void closedQuantizerThrowsButItsTensorsLiveOn() {
    Quantizer quantizer = Quantizer.perTensor(0.5, 0, DType.QINT8);
    try (QTensor q = QTensor.quantize(new float[] {1f}, new long[] {1}, quantizer)) {
      quantizer.close();
      quantizer.close();
      assertEquals("Quantizer(closed)", quantizer.toString());
      IllegalStateException error = assertThrows(IllegalStateException.class, quantizer::scale);
      assertEquals("this Quantizer is closed", error.getMessage());
      assertThrows(IllegalStateException.class,
          () -> QTensor.quantize(new float[] {1f}, new long[] {1}, quantizer));
      assertEquals(0.5, q.qScale(), 0.0);
    }
  }

  // A closed quantizer equals only itself and keeps its hash code: a hash
  // collection that holds it stays usable, and nothing throws.
  @Test
  public void closedQuantizerKeepsItsPlaceInHashCollections() {
    Quantizer a = Quantizer.perTensor(0.25, 3, DType.QUINT8);
    Quantizer b = Quantizer.perTensor(0.25, 3, DType.QUINT8);
    Quantizer other = Quantizer.perTensor(0.5, 3, DType.QUINT8);
    try {
      assertEquals(a, b);
      assertEquals(a.hashCode(), b.hashCode());
      assertNotEquals(a, other);
      Set<Quantizer> set = new HashSet<>(List.of(a));
      assertTrue(set.contains(b));  // by the parameters, while both are open
      int hash = a.hashCode();
      a.close();
      assertEquals(hash, a.hashCode());
      assertTrue(set.contains(a));  // by identity
      assertFalse(set.contains(b));
      assertEquals(a, a);
      assertNotEquals(a, b);
      assertNotEquals(b, a);
      assertEquals("Quantizer(closed)", a.toString());
      assertTrue(set.remove(a));
      assertTrue(set.isEmpty());
      // First asked once closed: a hash that stays, and equality by identity.
      other.close();
      int closedHash = other.hashCode();
      assertEquals(closedHash, other.hashCode());
      assertEquals(other, other);
      assertNotEquals(other, b);
      assertTrue(new HashSet<>(List.of(other)).contains(other));
    } finally {
      a.close();
      b.close();
      other.close();
    }
  }

  @Test
  public void closedObjectsSayClosed() {
    QTensor q = small();
    Quantizer quantizer = q.quantizer();
    Bundle bundle = new Bundle().put("q", q);
    assertEquals("Quantizer(qint8, per_tensor_affine, scale=0.5, zero_point=0)",
                 quantizer.toString());
    assertEquals("Bundle[q]", bundle.toString());
    q.close();
    quantizer.close();
    bundle.close();
    assertEquals("QTensor(closed)", q.toString());
    assertEquals("Quantizer(closed)", quantizer.toString());
    assertEquals("Bundle(closed)", bundle.toString());
  }
}
