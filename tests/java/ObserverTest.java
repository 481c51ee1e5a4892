package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.qtensor.DType;
import io.qtensor.HistogramObserver;
import io.qtensor.MinMaxObserver;
import io.qtensor.MovingAverageMinMaxObserver;
import io.qtensor.MovingAveragePerChannelMinMaxObserver;
import io.qtensor.Observer;
import io.qtensor.ObserverQParams;
import io.qtensor.PerChannelMinMaxObserver;
import io.qtensor.QParams;
import io.qtensor.QScheme;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Quantizer;
import io.qtensor.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.function.ThrowingRunnable;

/**
 * The observers, QParams.choose / choosePerTensor and
 * QTensor.quantizePerTensorDynamic against PyTorch 1.13's golden data
 * (tests/data/observer_golden.txt), bit for bit: every case of the file.
 * Then degenerate and bad input, and closed observers.
 */
public class ObserverTest {
  static List<ObserverGolden.Case> cases;

  @BeforeClass
  public static void loadGolden() throws Exception {
    cases = ObserverGolden.load();
  }

  static DType dtypeNamed(String name) {
    switch (name) {
      case "qint8":
        return DType.QINT8;
      case "quint8":
        return DType.QUINT8;
      case "qint32":
        return DType.QINT32;
      default:
        throw new AssertionError("unknown dtype " + name);
    }
  }

  static boolean isObserver(String kind) {
    return kind.contains("min_max") || kind.equals("histogram");
  }

  /** The golden case's observer, made through the public constructors. */
  static Observer observerOf(ObserverGolden.Case c) {
    DType dtype = dtypeNamed(c.one("dtype"));
    boolean symmetric = c.flag("symmetric");
    boolean rr = c.flag("reduce_range");
    boolean custom = c.has("quant_range");
    long lo = custom ? Long.parseLong(c.all("quant_range")[0]) : 0;
    long hi = custom ? Long.parseLong(c.all("quant_range")[1]) : 0;
    double constant = c.has("averaging_constant") ? ObserverGolden.hex(c.one("averaging_constant"))
                                                   : 0.01;
    long axis = c.has("ch_axis") ? c.integer("ch_axis") : 0;
    switch (c.kind()) {
      case "min_max":
        return custom ? new MinMaxObserver(dtype, symmetric, rr, lo, hi)
                      : new MinMaxObserver(dtype, symmetric, rr);
      case "moving_average_min_max":
        return custom ? new MovingAverageMinMaxObserver(constant, dtype, symmetric, rr, lo, hi)
                      : new MovingAverageMinMaxObserver(constant, dtype, symmetric, rr);
      case "per_channel_min_max":
        return custom ? new PerChannelMinMaxObserver(axis, dtype, symmetric, rr, lo, hi)
                      : new PerChannelMinMaxObserver(axis, dtype, symmetric, rr);
      case "moving_average_per_channel_min_max":
        return custom
            ? new MovingAveragePerChannelMinMaxObserver(constant, axis, dtype, symmetric, rr, lo,
                                                        hi)
            : new MovingAveragePerChannelMinMaxObserver(constant, axis, dtype, symmetric, rr);
      case "histogram": {
        long bins = c.integer("bins");
        long up = c.integer("upsample_rate");
        return custom ? new HistogramObserver(bins, up, dtype, symmetric, rr, lo, hi)
                      : new HistogramObserver(bins, up, dtype, symmetric, rr);
      }
      default:
        throw new AssertionError("not an observer: " + c.kind());
    }
  }

  static void assertStatus(Status status, String fragment, ThrowingRunnable call) {
    QTensorException e = assertThrows(QTensorException.class, call);
    assertEquals(e.getMessage(), status, e.status());
    assertTrue("message \"" + e.getMessage() + "\" lacks \"" + fragment + "\"",
               e.getMessage().contains(fragment));
  }

  /** One observer case: its batches, then its parameters or its error. */
  static void checkObserverCase(ObserverGolden.Case c) {
    int failing = c.has("expect_forward_error") ? (int) c.integer("expect_forward_error")
                                                : c.batches.size();
    try (Observer observer = observerOf(c)) {
      for (int i = 0; i < c.batches.size(); i++) {
        ObserverGolden.Batch b = c.batches.get(i);
        float[] input = b.values.clone();
        if (i == failing) {
          float[] minBefore = observer.minVal();
          float[] maxBefore = observer.maxVal();
          // NaN or an infinity, or a range the histogram cannot resample.
          assertStatus(Status.INVALID_ARGUMENT, "HistogramObserver: ",
                       () -> observer.forward(input, b.shape));
          assertArrayEquals(minBefore, observer.minVal(), 0f);  // unchanged
          assertArrayEquals(maxBefore, observer.maxVal(), 0f);
          return;
        }
        observer.forward(input, b.shape);
        assertArrayEquals("forward changed its input", b.values, input, 0f);
      }
      if (c.has("expect_error")) {
        assertThrows(QTensorException.class, observer::calculateQParams);
        QTensorException e = assertThrows(QTensorException.class, observer::quantizer);
        assertEquals(Status.INVALID_ARGUMENT, e.status());
        return;
      }
      ObserverQParams p = observer.calculateQParams();
      String[] scales = c.all("expect_scale");
      String[] zeroPoints = c.all("expect_zero_point");
      assertEquals(scales.length, p.scales().length);
      assertEquals(scales.length, observer.numChannels());
      for (int i = 0; i < scales.length; i++) {
        assertEquals("scale " + i, Float.floatToRawIntBits((float) ObserverGolden.hex(scales[i])),
                     Float.floatToRawIntBits(p.scale(i)));
        assertEquals("zero point " + i, Long.parseLong(zeroPoints[i]), p.zeroPoint(i));
      }
      // The quantizer carries exactly these parameters.
      try (Quantizer q = observer.quantizer()) {
        boolean perChannel = c.kind().contains("per_channel");
        assertEquals(perChannel ? QScheme.PER_CHANNEL_AFFINE : QScheme.PER_TENSOR_AFFINE,
                     q.qscheme());
        assertEquals(dtypeNamed(c.one("dtype")), q.dtype());
        double[] qs = q.scales();
        long[] qz = q.zeroPoints();
        for (int i = 0; i < scales.length; i++) {
          assertEquals(Double.doubleToRawLongBits(p.scale(i)), Double.doubleToRawLongBits(qs[i]));
          assertEquals(p.zeroPoint(i), qz[i]);
        }
        if (perChannel) {
          assertEquals(c.integer("ch_axis"), q.axis());
        }
      }
    }
  }

  static void checkPerTensorCase(ObserverGolden.Case c) {
    String kind = c.kind();
    boolean rr = c.flag("reduce_range");
    if (kind.equals("choose_qparams")) {
      float min = (float) ObserverGolden.hex(c.one("min"));
      float max = (float) ObserverGolden.hex(c.one("max"));
      ThrowingRunnable run = () -> QParams.choose(min, max, c.integer("qmin"), c.integer("qmax"),
                                                  c.flag("preserve_sparsity"), rr);
      if (c.has("expect_error")) {
        assertStatus(Status.INVALID_ARGUMENT, "choose_qparams", run);
        return;
      }
      QParams p = QParams.choose(min, max, c.integer("qmin"), c.integer("qmax"),
                                 c.flag("preserve_sparsity"), rr);
      checkQParams(c, p.scale(), p.zeroPoint());
      return;
    }
    assertEquals(1, c.batches.size());
    ObserverGolden.Batch b = c.batches.get(0);
    float[] input = b.values.clone();
    if (kind.equals("choose_qparams_per_tensor")) {
      if (c.has("expect_error")) {
        assertStatus(Status.INVALID_ARGUMENT, "choose_qparams_per_tensor",
                     () -> QParams.choosePerTensor(input, b.shape, rr));
      } else {
        QParams p = QParams.choosePerTensor(input, b.shape, rr);
        checkQParams(c, p.scale(), p.zeroPoint());
      }
    } else {
      assertEquals("quantize_per_tensor_dynamic", kind);
      DType dtype = dtypeNamed(c.one("dtype"));
      if (c.has("expect_error")) {
        assertStatus(Status.INVALID_ARGUMENT, "quantize_per_tensor_dynamic",
                     () -> QTensor.quantizePerTensorDynamic(input, b.shape, dtype, rr));
      } else {
        try (QTensor q = QTensor.quantizePerTensorDynamic(input, b.shape, dtype, rr)) {
          checkQParams(c, q.qScale(), q.qZeroPoint());
          assertEquals(dtype, q.dtype());
          assertArrayEquals(b.shape, q.shape());
          String[] want = c.all("expect_int_repr");
          int[] got = q.intRepr();
          assertEquals(want.length, got.length);
          for (int i = 0; i < got.length; i++) {
            assertEquals("integer " + i, Long.parseLong(want[i]), got[i]);
          }
        }
      }
    }
    assertArrayEquals("the input changed", b.values, input, 0f);
  }

  static void checkQParams(ObserverGolden.Case c, double scale, long zeroPoint) {
    assertEquals("scale", Double.doubleToRawLongBits(ObserverGolden.hex(c.one("expect_scale"))),
                 Double.doubleToRawLongBits(scale));
    assertEquals("zero point", c.integer("expect_zero_point"), zeroPoint);
  }

  @Test
  public void theGoldenFileHoldsEveryKind() {
    Map<String, Integer> kinds = new TreeMap<>();
    int errors = 0;
    for (ObserverGolden.Case c : cases) {
      kinds.merge(c.kind(), 1, Integer::sum);
      errors += c.has("expect_error") ? 1 : 0;
    }
    assertEquals(kinds.toString(), 8, kinds.size());
    for (Map.Entry<String, Integer> kind : kinds.entrySet()) {
      assertTrue(kind.toString(), kind.getValue() >= 30);
    }
    assertTrue(errors >= 100);
  }

  @Test
  public void observersEqualPyTorchBitForBit() {
    int checked = 0;
    List<String> failures = new ArrayList<>();
    for (ObserverGolden.Case c : cases) {
      if (!isObserver(c.kind())) {
        continue;
      }
      try {
        checkObserverCase(c);
      } catch (AssertionError | RuntimeException e) {
        failures.add(c.name + ": " + e);
      }
      ++checked;
    }
    assertEquals(failures.size() + " cases fail", "", String.join("\n", failures));
    assertTrue(checked > 1100);
  }

  @Test
  public void chooseQParamsAndDynamicQuantizeEqualPyTorch() {
    int checked = 0;
    List<String> failures = new ArrayList<>();
    for (ObserverGolden.Case c : cases) {
      if (isObserver(c.kind())) {
        continue;
      }
      try {
        checkPerTensorCase(c);
      } catch (AssertionError | RuntimeException e) {
        failures.add(c.name + ": " + e);
      }
      ++checked;
    }
    assertEquals(failures.size() + " cases fail", "", String.join("\n", failures));
    assertTrue(checked > 300);
  }

  // ------------------------------------------------------- known values

  @Test
  public void knownValuesAndTheRunningRange() {
    try (MinMaxObserver observer = new MinMaxObserver(DType.QINT8, true, false)) {
      assertEquals(1, observer.numChannels());
      assertArrayEquals(new float[] {Float.POSITIVE_INFINITY}, observer.minVal(), 0f);
      assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY}, observer.maxVal(), 0f);
      observer.forward(new float[] {-1f, 0.5f, 2f}, new long[] {3});
      observer.forward(new float[] {3f, -2f}, new long[] {2, 1});
      assertArrayEquals(new float[] {-2f}, observer.minVal(), 0f);
      assertArrayEquals(new float[] {3f}, observer.maxVal(), 0f);
      ObserverQParams p = observer.calculateQParams();
      // symmetric qint8: 3 / ((127 - -128) / 2) in float32, zero point 0.
      assertArrayEquals(new float[] {3f / 127.5f}, p.scales(), 0f);
      assertArrayEquals(new long[] {0}, p.zeroPoints());
      assertEquals("MinMaxObserver(dtype=qint8, symmetric=true)", observer.toString());
    }
    float[] weights = {1f, -2f, 0.25f, 4f, 0.5f, -0.75f};
    try (PerChannelMinMaxObserver observer =
             new PerChannelMinMaxObserver(1, DType.QINT8, false, false)) {
      assertEquals(0, observer.numChannels());
      assertArrayEquals(new float[0], observer.minVal(), 0f);
      observer.forward(weights, new long[] {2, 3});
      assertEquals(3, observer.numChannels());
      assertArrayEquals(new float[] {1f, -2f, -0.75f}, observer.minVal(), 0f);
      assertArrayEquals(new float[] {4f, 0.5f, 0.25f}, observer.maxVal(), 0f);
      assertArrayEquals(new long[] {-128, 76, 63}, observer.calculateQParams().zeroPoints());
      try (Quantizer q = observer.quantizer();
           QTensor t = QTensor.quantize(weights, new long[] {2, 3}, q)) {
        assertEquals(1, q.axis());
        assertEquals(QScheme.PER_CHANNEL_AFFINE, t.qscheme());
        assertEquals(1, t.qPerChannelAxis());
      }
    }
    assertEquals(new QParams(3.0 / 255, 85), QParams.choosePerTensor(
        new float[] {-1f, 0.5f, 2f}, new long[] {3}));
    try (QTensor q = QTensor.quantizePerTensorDynamic(new float[] {-1f, 0.5f, 2f},
                                                      new long[] {3}, DType.QINT8)) {
      assertArrayEquals(new byte[] {-128, -1, 127}, q.intReprInt8());
    }
  }

  @Test
  public void movingAverageFollowsPyTorchsFormula() {
    try (MovingAverageMinMaxObserver observer =
             new MovingAverageMinMaxObserver(0.5, DType.QUINT8, false, false)) {
      observer.forward(new float[] {-1f, 1f}, new long[] {2});
      observer.forward(new float[] {-3f, 5f}, new long[] {2});
      // min: -1 + 0.5 * (-3 - -1) = -2; max: 1 + 0.5 * (5 - 1) = 3.
      assertArrayEquals(new float[] {-2f}, observer.minVal(), 0f);
      assertArrayEquals(new float[] {3f}, observer.maxVal(), 0f);
    }
  }

  // ------------------------------------------------- degenerate input

  @Test
  public void degenerateBatches() {
    // One value, all equal, all zero: the range widened to include 0 and a
    // scale of at least float32's epsilon.
    float eps = Math.ulp(1f);
    try (MinMaxObserver observer = new MinMaxObserver()) {
      observer.forward(new float[] {0f, 0f}, new long[] {2});
      ObserverQParams p = observer.calculateQParams();
      assertArrayEquals(new float[] {eps}, p.scales(), 0f);
      assertArrayEquals(new long[] {0}, p.zeroPoints());
    }
    try (MinMaxObserver observer = new MinMaxObserver()) {
      observer.forward(new float[] {2.5f, 2.5f, 2.5f}, new long[] {1, 3});
      assertArrayEquals(new float[] {2.5f / 255}, observer.calculateQParams().scales(), 0f);
      assertArrayEquals(new long[] {0}, observer.calculateQParams().zeroPoints());
    }
    try (MinMaxObserver observer = new MinMaxObserver()) {
      observer.forward(new float[] {-3f, -1f}, new long[] {2});
      assertArrayEquals(new long[] {255}, observer.calculateQParams().zeroPoints());
    }
    // A batch without elements is ignored, as PyTorch ignores it.
    try (PerChannelMinMaxObserver observer = new PerChannelMinMaxObserver()) {
      observer.forward(new float[0], new long[] {0, 4});
      assertEquals(0, observer.numChannels());
      observer.forward(new float[] {7f}, new long[] {1, 1});  // a 0-dim-like batch of one
      assertArrayEquals(new float[] {7f / 255}, observer.calculateQParams().scales(), 0f);
    }
    try (QTensor q = QTensor.quantizePerTensorDynamic(new float[] {0.7f}, new long[0],
                                                      DType.QUINT8, true)) {
      assertEquals(0, q.dim());
      assertEquals(0.7f, q.item(), 0.7f / 127);
    }
  }

  // ---------------------------------------------------------- bad input

  @Test
  public void noDataYet() {
    for (Observer observer : new Observer[] {new MinMaxObserver(), new HistogramObserver(),
                                             new PerChannelMinMaxObserver(),
                                             new MovingAverageMinMaxObserver(),
                                             new MovingAveragePerChannelMinMaxObserver()}) {
      try (observer) {
        observer.forward(new float[0], new long[] {1, 0});
        String name = observer.getClass().getSimpleName();
        assertStatus(Status.INVALID_ARGUMENT,
                     name + ": calculate_qparams before the observer saw any data",
                     observer::calculateQParams);
        assertStatus(Status.INVALID_ARGUMENT, "before the observer saw any data",
                     observer::quantizer);
      }
    }
  }

  @Test
  public void nanAndInfinities() {
    float[] withNan = {1f, Float.NaN, -2f};
    try (MinMaxObserver observer = new MinMaxObserver()) {
      observer.forward(withNan, new long[] {1, 3});
      assertTrue(Float.isNaN(withNan[1]));  // input unchanged
      assertStatus(Status.INVALID_ARGUMENT, "NaN", observer::calculateQParams);
    }
    try (MinMaxObserver observer = new MinMaxObserver()) {
      observer.forward(new float[] {1f, Float.POSITIVE_INFINITY}, new long[] {2});
      assertStatus(Status.INVALID_ARGUMENT, "infinite scale", observer::calculateQParams);
    }
    try (HistogramObserver observer = new HistogramObserver(64, 8, DType.QUINT8, false, false)) {
      observer.forward(new float[] {0.5f, 1.5f, -2f}, new long[] {3});
      ObserverQParams before = observer.calculateQParams();
      for (float bad : new float[] {Float.NaN, Float.NEGATIVE_INFINITY}) {
        assertStatus(Status.INVALID_ARGUMENT, "HistogramObserver: the batch holds NaN or an "
                     + "infinity", () -> observer.forward(new float[] {1f, bad}, new long[] {2}));
      }
      assertEquals(before, observer.calculateQParams());  // unchanged
    }
    assertStatus(Status.INVALID_ARGUMENT, "element 1",
                 () -> QParams.choosePerTensor(new float[] {1f, Float.NaN}, new long[] {2}));
    assertStatus(Status.INVALID_ARGUMENT, "must be finite",
                 () -> QParams.choose(Float.NEGATIVE_INFINITY, 1f, 0, 255));
    assertStatus(Status.INVALID_ARGUMENT, "element 0",
                 () -> QTensor.quantizePerTensorDynamic(new float[] {Float.POSITIVE_INFINITY},
                                                        new long[] {1}, DType.QINT8));
  }

  @Test
  public void badOptions() {
    assertStatus(Status.INVALID_ARGUMENT, "reduce_range is not supported with a symmetric",
                 () -> new MinMaxObserver(DType.QUINT8, true, true));
    assertStatus(Status.INVALID_ARGUMENT, "must include 0",
                 () -> new MinMaxObserver(DType.QINT8, false, false, 5, 10));
    assertStatus(Status.INVALID_ARGUMENT, "must include 0",
                 () -> new MinMaxObserver(DType.QINT8, false, false, 5, 1));
    assertStatus(Status.INVALID_ARGUMENT, "quant_min must be less than quant_max, got [0, 0]",
                 () -> new MinMaxObserver(DType.QINT8, false, false, 0, 0));
    assertStatus(Status.INVALID_ARGUMENT, "does not fit qint8",
                 () -> new PerChannelMinMaxObserver(0, DType.QINT8, false, false, -200, 100));
    assertStatus(Status.INVALID_ARGUMENT, "more than 2^31 values",
                 () -> new MinMaxObserver(DType.QINT32, false, false, -2147483648L,
                                          2147483647L));
    for (double c : new double[] {0, 1.5, -1, Double.NaN}) {
      assertStatus(Status.INVALID_ARGUMENT, "averaging_constant",
                   () -> new MovingAverageMinMaxObserver(c, DType.QUINT8, false, false));
      assertStatus(Status.INVALID_ARGUMENT, "averaging_constant",
                   () -> new MovingAveragePerChannelMinMaxObserver(c, 0, DType.QUINT8, false,
                                                                   false));
    }
    for (long axis : new long[] {64, -65}) {
      assertStatus(Status.INVALID_ARGUMENT, "ch_axis " + axis + " is outside [-64, 64)",
                   () -> new PerChannelMinMaxObserver(axis, DType.QINT8, false, false));
    }
    assertStatus(Status.INVALID_ARGUMENT, "bins 0",
                 () -> new HistogramObserver(0, 128, DType.QUINT8, false, false));
    assertStatus(Status.INVALID_ARGUMENT, "upsample_rate 0",
                 () -> new HistogramObserver(2048, 0, DType.QUINT8, false, false));
    assertThrows(NullPointerException.class, () -> new MinMaxObserver(null, false, false));
    assertStatus(Status.INVALID_ARGUMENT, "qint32 is not supported",
                 () -> QTensor.quantizePerTensorDynamic(new float[] {1f}, new long[] {1},
                                                        DType.QINT32));
    assertStatus(Status.INVALID_ARGUMENT, "the input is empty",
                 () -> QParams.choosePerTensor(new float[0], new long[] {0}));
    assertStatus(Status.INVALID_ARGUMENT, "must be less than or equal to max",
                 () -> QParams.choose(2f, 1f, 0, 255));
    assertStatus(Status.INVALID_ARGUMENT, "must be less than qmax",
                 () -> QParams.choose(0f, 1f, 5, 5));
    assertStatus(Status.INVALID_ARGUMENT, "int32 range",
                 () -> QParams.choose(0f, 1f, 0, 1L << 40));
  }

  @Test
  public void badBatches() {
    try (PerChannelMinMaxObserver observer =
             new PerChannelMinMaxObserver(2, DType.QUINT8, false, false)) {
      assertStatus(Status.OUT_OF_RANGE, "ch_axis 2 is outside a batch of rank 2",
                   () -> observer.forward(new float[6], new long[] {2, 3}));
      observer.forward(new float[24], new long[] {2, 3, 4});
      assertStatus(Status.SHAPE_MISMATCH, "a batch with 5 channels",
                   () -> observer.forward(new float[30], new long[] {2, 3, 5}));
      assertEquals(4, observer.numChannels());  // unchanged
      assertStatus(Status.SHAPE_MISMATCH, "got 3 values for a shape of 4 elements",
                   () -> observer.forward(new float[3], new long[] {4}));
      assertStatus(Status.INVALID_ARGUMENT, "negative size -1 in dim 0",
                   () -> observer.forward(new float[0], new long[] {-1, 2, 3}));
      assertThrows(NullPointerException.class, () -> observer.forward(null, new long[] {1}));
      assertThrows(NullPointerException.class, () -> observer.forward(new float[1], null));
    }
    assertStatus(Status.SHAPE_MISMATCH, "got 2 values",
                 () -> QParams.choosePerTensor(new float[] {1f, 2f}, new long[] {3}));
    assertStatus(Status.SHAPE_MISMATCH, "got 2 values",
                 () -> QTensor.quantizePerTensorDynamic(new float[] {1f, 2f}, new long[] {1},
                                                        DType.QUINT8));
  }

  @Test
  public void closedObservers() {
    MinMaxObserver observer = new MinMaxObserver();
    observer.forward(new float[] {1f}, new long[] {1});
    assertFalse(observer.isClosed());
    observer.close();
    observer.close();  // harmless
    assertTrue(observer.isClosed());
    assertEquals("MinMaxObserver(closed)", observer.toString());
    for (ThrowingRunnable use : new ThrowingRunnable[] {
             () -> observer.forward(new float[] {1f}, new long[] {1}),
             observer::calculateQParams, observer::quantizer, observer::minVal,
             observer::maxVal, observer::numChannels}) {
      IllegalStateException e = assertThrows(IllegalStateException.class, use);
      assertEquals("this MinMaxObserver is closed", e.getMessage());
    }
    HistogramObserver histogram = new HistogramObserver();
    histogram.close();
    assertEquals("HistogramObserver(closed)", histogram.toString());
    assertEquals("this HistogramObserver is closed",
                 assertThrows(IllegalStateException.class, histogram::calculateQParams)
                     .getMessage());
  }

  @Test
  public void resultsAreCopies() {
    try (MinMaxObserver observer = new MinMaxObserver()) {
      observer.forward(new float[] {-1f, 1f}, new long[] {2});
      ObserverQParams p = observer.calculateQParams();
      p.scales()[0] = 5f;
      p.zeroPoints()[0] = 5;
      assertEquals(2f / 255, p.scale(0), 0f);
      // qmin - round(min / scale), in float32 as PyTorch: -1 / (2 / 255)
      // is -127.49999 there, not -127.5.
      assertEquals(-(long) Math.rint(-1f / (2f / 255)), p.zeroPoint(0));
      assertEquals(127, p.zeroPoint(0));
      assertEquals(p, observer.calculateQParams());
      assertEquals(p.hashCode(), observer.calculateQParams().hashCode());
      assertEquals("ObserverQParams(scales=[" + (2f / 255) + "], zeroPoints=[127])",
                   p.toString());
    }
  }
}
