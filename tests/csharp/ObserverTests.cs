// The observers, QParams.Choose / ChoosePerTensor and
// Tensor.QuantizePerTensorDynamic against PyTorch 1.13's golden data
// (tests/data/observer_golden.txt, whose path ctest passes in
// QTENSOR_OBSERVER_GOLDEN), bit for bit: every case of the file. Then
// degenerate and bad input, and disposed observers.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

// The golden file (tests/data/make_observer_golden.py's docstring describes
// it): one record per case, one "keyword tokens..." field per line;
// "batch_shape" starts a batch and the "batch" line after it holds its
// row-major float32 values as Python's float.hex().
public sealed class GoldenCase {
  public string Name;
  public readonly Dictionary<string, string[]> Fields = new Dictionary<string, string[]>();
  public readonly List<long[]> Shapes = new List<long[]>();
  public readonly List<float[]> Batches = new List<float[]>();

  public bool Has(string key) => Fields.ContainsKey(key);
  public string[] All(string key) {
    string[] tokens;
    if (!Fields.TryGetValue(key, out tokens)) Assert.Fail($"case {Name} lacks {key}");
    return tokens;
  }
  public string One(string key) => All(key)[0];
  public long Integer(string key) => long.Parse(One(key), CultureInfo.InvariantCulture);
  public bool Flag(string key) => Has(key) && Integer(key) != 0;
  public string Kind => One("kind");

  // Python's float.hex(): [-]0x<hex digits>[.<hex digits>]p<exponent>, or
  // inf, -inf, nan. .NET reads no hexadecimal floats: the digits (at most
  // 53 bits for a double) are an exact integer, scaled by powers of two,
  // which are exact while the result is a normal double (every value here).
  public static double Hex(string token) {
    switch (token) {
      case "inf": return double.PositiveInfinity;
      case "-inf": return double.NegativeInfinity;
      case "nan": return double.NaN;
    }
    bool negative = token.StartsWith("-");
    string text = negative ? token.Substring(1) : token;
    if (!text.StartsWith("0x")) throw new FormatException($"not a float.hex() value: {token}");
    int p = text.IndexOf('p');
    string digits = text.Substring(2, p - 2);
    int exponent = int.Parse(text.Substring(p + 1), CultureInfo.InvariantCulture);
    int point = digits.IndexOf('.');
    if (point >= 0) {
      exponent -= 4 * (digits.Length - point - 1);
      digits = digits.Remove(point, 1);
    }
    ulong mantissa = ulong.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    double value = mantissa;  // exact: below 2^53
    for (; exponent > 0; --exponent) value *= 2;
    for (; exponent < 0; ++exponent) value /= 2;
    return negative ? -value : value;
  }

  public static List<GoldenCase> Load() {
    string path = Environment.GetEnvironmentVariable("QTENSOR_OBSERVER_GOLDEN");
    if (string.IsNullOrEmpty(path)) {
      Assert.Fail("QTENSOR_OBSERVER_GOLDEN is not set (ctest's csharp_nunit sets it)");
    }
    var cases = new List<GoldenCase>();
    GoldenCase current = null;
    foreach (string line in File.ReadAllLines(path)) {
      if (line.Length == 0 || line[0] == '#') continue;
      string[] words = line.Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
      string[] tokens = words.Skip(1).ToArray();
      switch (words[0]) {
        case "case": current = new GoldenCase { Name = tokens[0] }; break;
        case "end": cases.Add(current); break;
        case "batch_shape":
          current.Shapes.Add(tokens.Select(t => long.Parse(t, CultureInfo.InvariantCulture))
                                 .ToArray());
          current.Batches.Add(new float[0]);
          break;
        case "batch":
          current.Batches[current.Batches.Count - 1] = tokens.Select(t => (float)Hex(t)).ToArray();
          break;
        default: current.Fields[words[0]] = tokens; break;
      }
    }
    return cases;
  }
}

[TestFixture]
public class ObserverTests {
  static List<GoldenCase> cases;

  [TestFixtureSetUp]
  public void LoadGolden() { cases = GoldenCase.Load(); }

  static DType DTypeNamed(string name) {
    switch (name) {
      case "qint8": return DType.QInt8;
      case "quint8": return DType.QUInt8;
      case "qint32": return DType.QInt32;
    }
    throw new ArgumentException("unknown dtype " + name);
  }

  static bool IsObserver(string kind) => kind.Contains("min_max") || kind == "histogram";

  static int Bits(float value) => BitConverter.ToInt32(BitConverter.GetBytes(value), 0);

  // The case's observer, through the public constructors and named
  // arguments.
  static Observer ObserverOf(GoldenCase c) {
    DType dtype = DTypeNamed(c.One("dtype"));
    bool symmetric = c.Flag("symmetric");
    bool rr = c.Flag("reduce_range");
    long? lo = null, hi = null;
    if (c.Has("quant_range")) {
      lo = long.Parse(c.All("quant_range")[0], CultureInfo.InvariantCulture);
      hi = long.Parse(c.All("quant_range")[1], CultureInfo.InvariantCulture);
    }
    double constant = c.Has("averaging_constant") ? GoldenCase.Hex(c.One("averaging_constant"))
                                                  : 0.01;
    long axis = c.Has("ch_axis") ? c.Integer("ch_axis") : 0;
    switch (c.Kind) {
      case "min_max":
        return new MinMaxObserver(dtype, symmetric, rr, lo, hi);
      case "moving_average_min_max":
        return new MovingAverageMinMaxObserver(constant, dtype, symmetric, rr, lo, hi);
      case "per_channel_min_max":
        return new PerChannelMinMaxObserver(axis, dtype, symmetric, rr, lo, hi);
      case "moving_average_per_channel_min_max":
        return new MovingAveragePerChannelMinMaxObserver(constant, axis, dtype, symmetric, rr, lo,
                                                         hi);
      case "histogram":
        return new HistogramObserver(c.Integer("bins"), c.Integer("upsample_rate"), dtype,
                                     symmetric, rr, lo, hi);
    }
    throw new ArgumentException("not an observer: " + c.Kind);
  }

  static void ExpectError<T>(string fragment, TestDelegate call) where T : QTensorException {
    var error = Assert.Throws<T>(call);
    StringAssert.Contains(fragment, error.Message);
  }

  static void CheckObserverCase(GoldenCase c) {
    int failing = c.Has("expect_forward_error") ? (int)c.Integer("expect_forward_error")
                                                : c.Batches.Count;
    using (Observer observer = ObserverOf(c)) {
      for (int i = 0; i < c.Batches.Count; ++i) {
        float[] input = (float[])c.Batches[i].Clone();
        long[] shape = c.Shapes[i];
        if (i == failing) {
          float[] minBefore = observer.MinVal;
          float[] maxBefore = observer.MaxVal;
          // NaN or an infinity, or a range the histogram cannot resample.
          ExpectError<QTensorArgumentException>("HistogramObserver: ",
                                                () => observer.Forward(input, shape));
          Assert.AreEqual(minBefore, observer.MinVal);  // unchanged
          Assert.AreEqual(maxBefore, observer.MaxVal);
          return;
        }
        observer.Forward(input, shape);
        Assert.AreEqual(c.Batches[i], input, "Forward changed its input");
      }
      if (c.Has("expect_error")) {
        Assert.Throws<QTensorArgumentException>(() => observer.CalculateQParams());
        Assert.Throws<QTensorArgumentException>(() => observer.Quantizer.Dispose());
        return;
      }
      ObserverQParams p = observer.CalculateQParams();
      string[] scales = c.All("expect_scale");
      string[] zeroPoints = c.All("expect_zero_point");
      float[] gotScales = p.Scales;
      long[] gotZeroPoints = p.ZeroPoints;
      Assert.AreEqual(scales.Length, gotScales.Length);
      Assert.AreEqual(scales.Length, observer.NumChannels);
      for (int i = 0; i < scales.Length; ++i) {
        Assert.AreEqual(Bits((float)GoldenCase.Hex(scales[i])), Bits(gotScales[i]), $"scale {i}");
        Assert.AreEqual(long.Parse(zeroPoints[i], CultureInfo.InvariantCulture), gotZeroPoints[i],
                        $"zero point {i}");
      }
      using (Quantizer q = observer.Quantizer) {
        bool perChannel = c.Kind.Contains("per_channel");
        Assert.AreEqual(perChannel ? QScheme.PerChannelAffine : QScheme.PerTensorAffine,
                        q.QScheme);
        Assert.AreEqual(DTypeNamed(c.One("dtype")), q.DType);
        Assert.AreEqual(gotScales.Select(s => (double)s).ToArray(), q.Scales);
        Assert.AreEqual(gotZeroPoints, q.ZeroPoints);
        if (perChannel) Assert.AreEqual(c.Integer("ch_axis"), q.Axis);
      }
    }
  }

  static void CheckQParams(GoldenCase c, double scale, long zeroPoint) {
    Assert.AreEqual(BitConverter.DoubleToInt64Bits(GoldenCase.Hex(c.One("expect_scale"))),
                    BitConverter.DoubleToInt64Bits(scale), "scale");
    Assert.AreEqual(c.Integer("expect_zero_point"), zeroPoint, "zero point");
  }

  static void CheckPerTensorCase(GoldenCase c) {
    bool rr = c.Flag("reduce_range");
    if (c.Kind == "choose_qparams") {
      float min = (float)GoldenCase.Hex(c.One("min"));
      float max = (float)GoldenCase.Hex(c.One("max"));
      TestDelegate run = () => QParams.Choose(min, max, c.Integer("qmin"), c.Integer("qmax"),
                                              c.Flag("preserve_sparsity"), rr);
      if (c.Has("expect_error")) {
        ExpectError<QTensorArgumentException>("choose_qparams", run);
        return;
      }
      QParams p = QParams.Choose(min, max, c.Integer("qmin"), c.Integer("qmax"),
                                 preserveSparsity: c.Flag("preserve_sparsity"), reduceRange: rr);
      CheckQParams(c, p.Scale, p.ZeroPoint);
      return;
    }
    Assert.AreEqual(1, c.Batches.Count);
    float[] input = (float[])c.Batches[0].Clone();
    long[] shape = c.Shapes[0];
    if (c.Kind == "choose_qparams_per_tensor") {
      if (c.Has("expect_error")) {
        ExpectError<QTensorArgumentException>("choose_qparams_per_tensor",
                                              () => QParams.ChoosePerTensor(input, shape, rr));
      } else {
        QParams p = QParams.ChoosePerTensor(input, shape, rr);
        CheckQParams(c, p.Scale, p.ZeroPoint);
      }
    } else {
      Assert.AreEqual("quantize_per_tensor_dynamic", c.Kind);
      DType dtype = DTypeNamed(c.One("dtype"));
      if (c.Has("expect_error")) {
        ExpectError<QTensorArgumentException>(
            "quantize_per_tensor_dynamic",
            () => Tensor.QuantizePerTensorDynamic(input, shape, dtype, rr).Dispose());
      } else {
        using (Tensor q = Tensor.QuantizePerTensorDynamic(input, shape, dtype, rr)) {
          CheckQParams(c, q.QScale, q.QZeroPoint);
          Assert.AreEqual(dtype, q.DType);
          Assert.AreEqual(shape, q.Shape);
          long[] want = c.All("expect_int_repr")
                            .Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
          long[] got = dtype == DType.QInt8 ? q.IntRepr<sbyte>().Select(v => (long)v).ToArray()
                                            : q.IntRepr<byte>().Select(v => (long)v).ToArray();
          Assert.AreEqual(want, got);
        }
      }
    }
    Assert.AreEqual(c.Batches[0], input, "the input changed");
  }

  [Test]
  public void TheGoldenFileHoldsEveryKind() {
    var kinds = cases.GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.Count());
    Assert.AreEqual(8, kinds.Count, string.Join(", ", kinds.Keys));
    foreach (var kind in kinds) Assert.GreaterOrEqual(kind.Value, 30, kind.Key);
    Assert.GreaterOrEqual(cases.Count(c => c.Has("expect_error")), 100);
  }

  [Test]
  public void TheHexReaderReadsPythonsFloatHex() {
    Assert.AreEqual(1.0, GoldenCase.Hex("0x1.0000000000000p+0"));
    Assert.AreEqual(-0.375, GoldenCase.Hex("-0x1.8000000000000p-2"));
    Assert.AreEqual(0.0, GoldenCase.Hex("0x0.0p+0"));
    Assert.AreEqual(0.1, GoldenCase.Hex("0x1.999999999999ap-4"));
    Assert.AreEqual((double)float.Epsilon, GoldenCase.Hex("0x1.0000000000000p-149"));
    Assert.AreEqual(double.PositiveInfinity, GoldenCase.Hex("inf"));
    Assert.IsNaN(GoldenCase.Hex("nan"));
  }

  [Test]
  public void ObserversEqualPyTorchBitForBit() {
    var failures = new List<string>();
    int checkedCount = 0;
    foreach (GoldenCase c in cases.Where(c => IsObserver(c.Kind))) {
      try {
        CheckObserverCase(c);
      } catch (Exception error) {
        failures.Add($"{c.Name}: {error.GetType().Name}: {error.Message}");
      }
      ++checkedCount;
    }
    Assert.IsEmpty(failures, $"{failures.Count} cases fail:\n" + string.Join("\n", failures));
    Assert.Greater(checkedCount, 1100);
  }

  [Test]
  public void ChooseQParamsAndDynamicQuantizeEqualPyTorch() {
    var failures = new List<string>();
    int checkedCount = 0;
    foreach (GoldenCase c in cases.Where(c => !IsObserver(c.Kind))) {
      try {
        CheckPerTensorCase(c);
      } catch (Exception error) {
        failures.Add($"{c.Name}: {error.GetType().Name}: {error.Message}");
      }
      ++checkedCount;
    }
    Assert.IsEmpty(failures, $"{failures.Count} cases fail:\n" + string.Join("\n", failures));
    Assert.Greater(checkedCount, 300);
  }

  // ------------------------------------------------------- known values

  [Test]
  public void KnownValuesAndTheRunningRange() {
    using (var observer = new MinMaxObserver(DType.QInt8, symmetric: true)) {
      Assert.AreEqual(1, observer.NumChannels);
      Assert.AreEqual(new[] { float.PositiveInfinity }, observer.MinVal);
      Assert.AreEqual(new[] { float.NegativeInfinity }, observer.MaxVal);
      observer.Forward(new[] { -1f, 0.5f, 2f }, new long[] { 3 });
      observer.Forward(new[] { 3f, -2f }, new long[] { 2, 1 });
      Assert.AreEqual(new[] { -2f }, observer.MinVal);
      Assert.AreEqual(new[] { 3f }, observer.MaxVal);
      ObserverQParams p = observer.CalculateQParams();
      // symmetric qint8: 3 / ((127 - -128) / 2) in float32, zero point 0.
      Assert.AreEqual(new[] { 3f / 127.5f }, p.Scales);
      Assert.AreEqual(new long[] { 0 }, p.ZeroPoints);
      Assert.AreEqual("MinMaxObserver(dtype=QInt8, symmetric=True)", observer.ToString());
    }
    float[] weights = { 1f, -2f, 0.25f, 4f, 0.5f, -0.75f };
    using (var observer = new PerChannelMinMaxObserver(chAxis: 1, dtype: DType.QInt8)) {
      Assert.AreEqual(0, observer.NumChannels);
      Assert.AreEqual(new float[0], observer.MinVal);
      observer.Forward(weights, new long[] { 2, 3 });
      Assert.AreEqual(3, observer.NumChannels);
      Assert.AreEqual(new[] { 1f, -2f, -0.75f }, observer.MinVal);
      Assert.AreEqual(new[] { 4f, 0.5f, 0.25f }, observer.MaxVal);
      Assert.AreEqual(new long[] { -128, 76, 63 }, observer.CalculateQParams().ZeroPoints);
      using (Quantizer q = observer.Quantizer)
      using (Tensor t = Tensor.Quantize(weights, new long[] { 2, 3 }, q)) {
        Assert.AreEqual(1, q.Axis);
        Assert.AreEqual(QScheme.PerChannelAffine, t.QScheme);
        Assert.AreEqual(1, t.QPerChannelAxis);
      }
    }
    Assert.AreEqual(new QParams(3.0 / 255, 85),
                    QParams.ChoosePerTensor(new[] { -1f, 0.5f, 2f }, new long[] { 3 }));
    Assert.AreEqual("QParams(scale=0.011764705882352941, zero_point=85)",
                    QParams.Choose(-1f, 2f, 0, 255).ToString());
    using (Tensor q = Tensor.QuantizePerTensorDynamic(new[] { -1f, 0.5f, 2f }, new long[] { 3 },
                                                      DType.QInt8)) {
      Assert.AreEqual(new sbyte[] { -128, -1, 127 }, q.IntRepr<sbyte>());
    }
  }

  [Test]
  public void MovingAverageFollowsPyTorchsFormula() {
    using (var observer = new MovingAverageMinMaxObserver(0.5)) {
      observer.Forward(new[] { -1f, 1f }, new long[] { 2 });
      observer.Forward(new[] { -3f, 5f }, new long[] { 2 });
      // min: -1 + 0.5 * (-3 - -1) = -2; max: 1 + 0.5 * (5 - 1) = 3.
      Assert.AreEqual(new[] { -2f }, observer.MinVal);
      Assert.AreEqual(new[] { 3f }, observer.MaxVal);
    }
  }

  // ------------------------------------------------- degenerate input

  [Test]
  public void DegenerateBatches() {
    float eps = 1.1920929e-07f;  // float32's epsilon, the smallest scale
    using (var observer = new MinMaxObserver()) {
      observer.Forward(new[] { 0f, 0f }, new long[] { 2 });
      Assert.AreEqual(new[] { eps }, observer.CalculateQParams().Scales);
      Assert.AreEqual(new long[] { 0 }, observer.CalculateQParams().ZeroPoints);
    }
    using (var observer = new MinMaxObserver()) {
      observer.Forward(new[] { 2.5f, 2.5f, 2.5f }, new long[] { 1, 3 });
      Assert.AreEqual(new[] { 2.5f / 255 }, observer.CalculateQParams().Scales);
      Assert.AreEqual(new long[] { 0 }, observer.CalculateQParams().ZeroPoints);
    }
    using (var observer = new MinMaxObserver()) {
      observer.Forward(new[] { -3f, -1f }, new long[] { 2 });
      Assert.AreEqual(new long[] { 255 }, observer.CalculateQParams().ZeroPoints);
    }
    using (var observer = new PerChannelMinMaxObserver()) {
      observer.Forward(new float[0], new long[] { 0, 4 });  // ignored, as PyTorch ignores it
      Assert.AreEqual(0, observer.NumChannels);
      observer.Forward(new[] { 7f }, new long[] { 1, 1 });
      Assert.AreEqual(new[] { 7f / 255 }, observer.CalculateQParams().Scales);
    }
    using (Tensor q = Tensor.QuantizePerTensorDynamic(new[] { 0.7f }, new long[0], DType.QUInt8,
                                                      reduceRange: true)) {
      Assert.AreEqual(0, q.Dim);
      Assert.AreEqual(0.7f, q.Item(), 0.7f / 127);
    }
  }

  // ---------------------------------------------------------- bad input

  [Test]
  public void NoDataYet() {
    foreach (Observer observer in new Observer[] {
               new MinMaxObserver(), new HistogramObserver(), new PerChannelMinMaxObserver(),
               new MovingAverageMinMaxObserver(), new MovingAveragePerChannelMinMaxObserver() }) {
      using (observer) {
        observer.Forward(new float[0], new long[] { 1, 0 });
        string name = observer.GetType().Name;
        ExpectError<QTensorArgumentException>(
            name + ": calculate_qparams before the observer saw any data",
            () => observer.CalculateQParams());
        ExpectError<QTensorArgumentException>("before the observer saw any data",
                                              () => observer.Quantizer.Dispose());
      }
    }
  }

  [Test]
  public void NaNAndInfinities() {
    float[] withNaN = { 1f, float.NaN, -2f };
    using (var observer = new MinMaxObserver()) {
      observer.Forward(withNaN, new long[] { 1, 3 });
      Assert.IsNaN(withNaN[1]);  // input unchanged
      ExpectError<QTensorArgumentException>("NaN", () => observer.CalculateQParams());
    }
    using (var observer = new MinMaxObserver()) {
      observer.Forward(new[] { 1f, float.PositiveInfinity }, new long[] { 2 });
      ExpectError<QTensorArgumentException>("infinite scale", () => observer.CalculateQParams());
    }
    using (var observer = new HistogramObserver(bins: 64, upsampleRate: 8)) {
      observer.Forward(new[] { 0.5f, 1.5f, -2f }, new long[] { 3 });
      ObserverQParams before = observer.CalculateQParams();
      foreach (float bad in new[] { float.NaN, float.NegativeInfinity }) {
        ExpectError<QTensorArgumentException>(
            "HistogramObserver: the batch holds NaN or an infinity",
            () => observer.Forward(new[] { 1f, bad }, new long[] { 2 }));
      }
      Assert.AreEqual(before, observer.CalculateQParams());  // unchanged
    }
    ExpectError<QTensorArgumentException>(
        "element 1", () => QParams.ChoosePerTensor(new[] { 1f, float.NaN }, new long[] { 2 }));
    ExpectError<QTensorArgumentException>(
        "must be finite", () => QParams.Choose(float.NegativeInfinity, 1f, 0, 255));
    ExpectError<QTensorArgumentException>(
        "element 0", () => Tensor.QuantizePerTensorDynamic(new[] { float.PositiveInfinity },
                                                           new long[] { 1 }, DType.QInt8));
  }

  [Test]
  public void BadOptions() {
    ExpectError<QTensorArgumentException>(
        "reduce_range is not supported with a symmetric",
        () => new MinMaxObserver(DType.QUInt8, symmetric: true, reduceRange: true));
    ExpectError<QTensorArgumentException>(
        "must include 0", () => new MinMaxObserver(DType.QInt8, quantMin: 5, quantMax: 10));
    ExpectError<QTensorArgumentException>(
        "quant_min must be less than quant_max, got [0, 0]",
        () => new MinMaxObserver(DType.QInt8, quantMin: 0, quantMax: 0));
    ExpectError<QTensorArgumentException>(
        "must include 0", () => new MinMaxObserver(DType.QInt8, quantMin: 5, quantMax: 1));
    ExpectError<QTensorArgumentException>(
        "MinMaxObserver: give both quantMin and quantMax, or neither",
        () => new MinMaxObserver(DType.QInt8, quantMin: -3));
    ExpectError<QTensorArgumentException>(
        "does not fit qint8",
        () => new PerChannelMinMaxObserver(0, DType.QInt8, quantMin: -200, quantMax: 100));
    ExpectError<QTensorArgumentException>(
        "more than 2^31 values",
        () => new MinMaxObserver(DType.QInt32, quantMin: int.MinValue, quantMax: int.MaxValue));
    foreach (double c in new[] { 0, 1.5, -1, double.NaN }) {
      ExpectError<QTensorArgumentException>("averaging_constant",
                                            () => new MovingAverageMinMaxObserver(c));
      ExpectError<QTensorArgumentException>("averaging_constant",
                                            () => new MovingAveragePerChannelMinMaxObserver(c));
    }
    foreach (long axis in new long[] { 64, -65 }) {
      ExpectError<QTensorArgumentException>($"ch_axis {axis} is outside [-64, 64)",
                                            () => new PerChannelMinMaxObserver(axis));
    }
    ExpectError<QTensorArgumentException>("bins 0", () => new HistogramObserver(0));
    ExpectError<QTensorArgumentException>("upsample_rate 0",
                                          () => new HistogramObserver(upsampleRate: 0));
    ExpectError<QTensorArgumentException>("unknown dtype", () => new MinMaxObserver((DType)42));
    ExpectError<QTensorArgumentException>(
        "qint32 is not supported",
        () => Tensor.QuantizePerTensorDynamic(new[] { 1f }, new long[] { 1 }, DType.QInt32));
    ExpectError<QTensorArgumentException>(
        "the input is empty", () => QParams.ChoosePerTensor(new float[0], new long[] { 0 }));
    ExpectError<QTensorArgumentException>("must be less than or equal to max",
                                          () => QParams.Choose(2f, 1f, 0, 255));
    ExpectError<QTensorArgumentException>("must be less than qmax",
                                          () => QParams.Choose(0f, 1f, 5, 5));
    ExpectError<QTensorArgumentException>("int32 range",
                                          () => QParams.Choose(0f, 1f, 0, 1L << 40));
  }

  [Test]
  public void BadBatches() {
    using (var observer = new PerChannelMinMaxObserver(chAxis: 2)) {
      ExpectError<QTensorIndexException>(
          "ch_axis 2 is outside a batch of rank 2",
          () => observer.Forward(new float[6], new long[] { 2, 3 }));
      observer.Forward(new float[24], new long[] { 2, 3, 4 });
      ExpectError<QTensorShapeException>(
          "a batch with 5 channels", () => observer.Forward(new float[30], new long[] { 2, 3, 5 }));
      Assert.AreEqual(4, observer.NumChannels);  // unchanged
      ExpectError<QTensorShapeException>("got 3 values for a shape of 4 elements",
                                         () => observer.Forward(new float[3], new long[] { 4 }));
      ExpectError<QTensorArgumentException>(
          "negative size -1 in dim 0",
          () => observer.Forward(new float[0], new long[] { -1, 2, 3 }));
      Assert.Throws<ArgumentNullException>(() => observer.Forward(null, new long[] { 1 }));
      Assert.Throws<ArgumentNullException>(() => observer.Forward(new float[1], null));
    }
    ExpectError<QTensorShapeException>(
        "got 2 values", () => QParams.ChoosePerTensor(new[] { 1f, 2f }, new long[] { 3 }));
    ExpectError<QTensorShapeException>(
        "got 2 values", () => Tensor.QuantizePerTensorDynamic(new[] { 1f, 2f }, new long[] { 1 },
                                                               DType.QUInt8));
  }

  // Every public instance member of every observer but Dispose, ToString,
  // Equals and GetHashCode throws ObjectDisposedException once disposed.
  [Test]
  public void DisposedObserversThrow() {
    var failures = new List<string>();
    int checkedCount = 0;
    foreach (Observer observer in new Observer[] {
               new MinMaxObserver(), new HistogramObserver(), new PerChannelMinMaxObserver(),
               new MovingAverageMinMaxObserver(), new MovingAveragePerChannelMinMaxObserver() }) {
      observer.Forward(new[] { 1f }, new long[] { 1, 1 });
      observer.Dispose();
      observer.Dispose();  // harmless
      string name = observer.GetType().Name;
      Assert.AreEqual(name + "(closed)", observer.ToString());
      foreach (MethodInfo method in PublicApi.InstanceMethods(typeof(Observer))) {
        if (new[] { "Dispose", "ToString", "Equals", "GetHashCode" }.Contains(method.Name)) {
          continue;
        }
        ++checkedCount;
        Exception thrown =
            PublicApi.Thrown(method, observer, PublicApi.Samples(method, null, null));
        var disposed = thrown as ObjectDisposedException;
        if (disposed == null || disposed.ObjectName != name) {
          failures.Add($"{name}.{method.Name}: " + (thrown?.GetType().Name ?? "no exception"));
        }
      }
    }
    Assert.IsEmpty(failures, string.Join("\n", failures));
    Assert.AreEqual(5 * 6, checkedCount);  // Forward, CalculateQParams and four getters
  }

  [Test]
  public void ResultsAreCopies() {
    using (var observer = new MinMaxObserver()) {
      observer.Forward(new[] { -1f, 1f }, new long[] { 2 });
      ObserverQParams p = observer.CalculateQParams();
      p.Scales[0] = 5f;
      p.ZeroPoints[0] = 5;
      Assert.AreEqual(new[] { 2f / 255 }, p.Scales);
      // qmin - round(min / scale), in float32 as PyTorch: -1 / (2 / 255) is
      // -127.49999 there, not -127.5 (ObserverTest.java computes it so; Mono
      // may keep float quotients in double precision).
      Assert.AreEqual(new long[] { 127 }, p.ZeroPoints);
      Assert.AreEqual(p, observer.CalculateQParams());
      Assert.AreEqual(p.GetHashCode(), observer.CalculateQParams().GetHashCode());
      Assert.AreEqual("ObserverQParams(scales=[" +
                          (2f / 255).ToString("R", CultureInfo.InvariantCulture) +
                          "], zero_points=[127])",
                      p.ToString());
    }
  }
}

}  // namespace QTensor.Tests
