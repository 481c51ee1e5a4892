// IndexSelect, Repeat, MaskedFillInPlace, IndexPutInPlace and EmptyLike:
// PyTorch 1.13's integers and parameters bit for bit
// (tests/data/index_golden.txt, written by tests/data/make_index_golden.py;
// ctest passes its path in QTENSOR_INDEX_GOLDEN), then what PyTorch refuses
// (per-channel tensors, each element keeping its own channel), views, empty
// index lists and bad input.
using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class IndexingTests {
  // "input|output DTYPE SCALE ZERO_POINT RANK SIZES..." and its data line.
  sealed class Golden {
    public DType DType;
    public double Scale;
    public long ZeroPoint;
    public long[] Shape;
    public long[] Ints;

    public static Golden Read(string[] fields, string dataLine) {
      var g = new Golden();
      switch (fields[1]) {
        case "qint8": g.DType = DType.QInt8; break;
        case "quint8": g.DType = DType.QUInt8; break;
        case "qint32": g.DType = DType.QInt32; break;
        default: throw new FormatException($"unknown dtype {fields[1]}");
      }
      g.Scale = GoldenCase.Hex(fields[2]);
      g.ZeroPoint = Long(fields[3]);
      int rank = int.Parse(fields[4], CultureInfo.InvariantCulture);
      g.Shape = fields.Skip(5).Take(rank).Select(Long).ToArray();
      string[] data = Tokens(dataLine);
      Assert.AreEqual("data", data[0]);
      g.Ints = data.Skip(1).Select(Long).ToArray();
      return g;
    }

    public Tensor Make() {
      using (Quantizer quantizer = Quantizer.PerTensor(Scale, ZeroPoint, DType)) {
        switch (DType) {
          case DType.QInt8:
            return Tensor.FromIntRepr(Ints.Select(v => (sbyte)v).ToArray(), Shape, quantizer);
          case DType.QUInt8:
            return Tensor.FromIntRepr(Ints.Select(v => (byte)v).ToArray(), Shape, quantizer);
          default:
            return Tensor.FromIntRepr(Ints.Select(v => (int)v).ToArray(), Shape, quantizer);
        }
      }
    }
  }

  static long Long(string text) => long.Parse(text, CultureInfo.InvariantCulture);

  static string[] Tokens(string line) {
    return line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
  }

  // The result of one golden case's operation on the input tensor.
  static Tensor Apply(Tensor q, string[] op) {
    switch (op[0]) {
      case "index_select": {
        int count = int.Parse(op[2], CultureInfo.InvariantCulture);
        return q.IndexSelect(Long(op[1]), op.Skip(3).Take(count).Select(Long).ToArray());
      }
      case "repeat": {
        int count = int.Parse(op[1], CultureInfo.InvariantCulture);
        return q.Repeat(op.Skip(2).Take(count).Select(Long).ToArray());
      }
      case "masked_fill": {
        var value = (float)GoldenCase.Hex(op[1]);
        bool[] mask = op.Skip(2).Select(t => t != "0").ToArray();
        Tensor result = q.Clone();
        Assert.AreSame(result, result.MaskedFillInPlace(mask, value));
        return result;
      }
      case "index_put": {
        long dim = Long(op[1]);
        int count = int.Parse(op[2], CultureInfo.InvariantCulture);
        long[] indices = op.Skip(3).Take(count).Select(Long).ToArray();
        float[] values = op.Skip(3 + count).Select(t => (float)GoldenCase.Hex(t)).ToArray();
        Tensor result = q.Clone();
        Assert.AreSame(result, result.IndexPutInPlace(dim, indices, values));
        return result;
      }
      default:
        throw new FormatException($"unknown operation {op[0]}");
    }
  }

  [Test]
  public void GoldenCasesMatchPyTorch() {
    string path = Environment.GetEnvironmentVariable("QTENSOR_INDEX_GOLDEN");
    if (string.IsNullOrEmpty(path)) {
      Assert.Fail("QTENSOR_INDEX_GOLDEN is not set (ctest's csharp_nunit sets it)");
    }
    string[] lines = File.ReadAllLines(path);
    string name = null;
    string[] op = null;
    Golden input = null, output = null;
    int cases = 0;
    for (int n = 0; n < lines.Length; ++n) {
      string[] fields = Tokens(lines[n]);
      if (fields.Length == 0 || fields[0].StartsWith("#")) continue;
      switch (fields[0]) {
        case "case": name = fields[1]; break;
        case "input": input = Golden.Read(fields, lines[++n]); break;
        case "output": output = Golden.Read(fields, lines[++n]); break;
        case "end":
          using (Tensor q = input.Make())
          using (Tensor result = Apply(q, op)) {
            Assert.AreEqual(output.Shape, result.Shape, name);
            Assert.AreEqual(output.DType, result.DType, name);
            Assert.AreEqual(BitConverter.DoubleToInt64Bits(output.Scale),
                            BitConverter.DoubleToInt64Bits(result.QScale), name);
            Assert.AreEqual(output.ZeroPoint, result.QZeroPoint, name);
            Assert.AreEqual(output.Ints, Expected.Longs(result.IntRepr()), name);
          }
          ++cases;
          break;
        default: op = fields; break;
      }
    }
    Assert.AreEqual(45, cases);
  }

  // A 3x4x5 per-channel tensor along axis, with distinct parameters per channel.
  static Tensor PerChannel(long axis, DType dtype) {
    var shape = new long[] { 3, 4, 5 };
    var data = new float[60];
    for (int i = 0; i < data.Length; ++i) data[i] = (i % 13) * 0.37f - 2.0f;
    long channels = shape[axis];
    var scales = new double[channels];
    var zeroPoints = new long[channels];
    for (int c = 0; c < channels; ++c) {
      scales[c] = ScaleOf(c);
      zeroPoints[c] = c * 3 % 7;
    }
    return Tensor.QuantizePerChannel(data, shape, scales, zeroPoints, axis, dtype);
  }

  static double ScaleOf(int channel) => 0.01 + 0.013 * channel;

  [Test]
  public void IndexSelectAlongTheChannelAxisPicksTheChannels() {
    using (Tensor q = PerChannel(1, DType.QInt8))
    using (Tensor r = q.IndexSelect(1, new long[] { 3, 0, 3 }))
    using (Tensor none = q.IndexSelect(1, new long[0])) {
      Assert.AreEqual(new long[] { 3, 3, 5 }, r.Shape);
      Assert.AreEqual(QScheme.PerChannelAffine, r.QScheme);
      Assert.AreEqual(1, r.QPerChannelAxis);
      Assert.AreEqual(new[] { ScaleOf(3), ScaleOf(0), ScaleOf(3) }, r.QPerChannelScales);
      Assert.AreEqual(new long[] { 2, 0, 2 }, r.QPerChannelZeroPoints);
      for (long i = 0; i < 3; ++i) {
        for (long k = 0; k < 5; ++k) {
          Assert.AreEqual(q.GetValue(i, 3, k), r.GetValue(i, 0, k));
          Assert.AreEqual(q.GetValue(i, 0, k), r.GetValue(i, 1, k));
          Assert.AreEqual(q.GetValue(i, 3, k), r.GetValue(i, 2, k));
        }
      }
      // The integers, too: slice 0 of r is slice 3 of q.
      long[] source = Expected.Longs(q.IntRepr());
      long[] picked = Expected.Longs(r.IntRepr());
      for (int i = 0; i < 3; ++i) {
        for (int k = 0; k < 5; ++k) Assert.AreEqual(source[i * 20 + 15 + k], picked[i * 15 + k]);
      }
      Assert.AreEqual(new long[] { 3, 0, 5 }, none.Shape);
      Assert.AreEqual(0, none.IntRepr().Length);
      Assert.AreEqual(0, none.QPerChannelScales.Length);
    }
  }

  [Test]
  public void IndexSelectAndRepeatOffTheChannelAxisKeepEveryChannel() {
    using (Tensor q = PerChannel(2, DType.QInt8))
    using (Tensor r = q.IndexSelect(0, new long[] { 2, 2 }))
    using (Tensor tiled = q.Repeat(1, 1, 2))
    using (Tensor row = q.Select(2, 4))
    using (Tensor copy = row.Repeat(2, 1, 1)) {
      Assert.AreEqual(q.QPerChannelScales, r.QPerChannelScales);
      for (long j = 0; j < 4; ++j) {
        for (long k = 0; k < 5; ++k) {
          Assert.AreEqual(q.GetValue(2, j, k), r.GetValue(0, j, k));
          Assert.AreEqual(q.GetValue(2, j, k), r.GetValue(1, j, k));
        }
      }
      Assert.AreEqual(new long[] { 3, 4, 10 }, tiled.Shape);
      Assert.AreEqual(10, tiled.QPerChannelScales.Length);
      Assert.AreEqual(ScaleOf(4), tiled.QPerChannelScales[9]);
      for (long k = 0; k < 5; ++k) Assert.AreEqual(q.GetValue(2, 3, k), tiled.GetValue(2, 3, k + 5));
      // A view without its channel dim keeps its channel's parameters.
      Assert.AreEqual(new long[] { 2, 3, 4 }, copy.Shape);
      for (long i = 0; i < 3; ++i) Assert.AreEqual(row.GetValue(i, 0), copy.GetValue(1, i, 0));
    }
  }

  [Test]
  public void MaskedFillAndIndexPutQuantizeWithEachElementsChannel() {
    using (Tensor q = PerChannel(1, DType.QInt8))
    using (Tensor reference = q.Clone()) {
      var mask = new bool[60];
      for (int i = 0; i < 60; ++i) {
        mask[i] = i % 3 == 0;
        if (mask[i]) reference.SetValue(new long[] { i / 20, i / 5 % 4, i % 5 }, 0.77f);
      }
      Assert.AreSame(q, q.MaskedFillInPlace(mask, 0.77f));
      Assert.AreEqual(Expected.Longs(reference.IntRepr()), Expected.Longs(q.IntRepr()));
      // Element 6 is [0, 1, 1]: 0.77 in channel 1 (scale 0.023, zero point
      // 3), round(33.48) + 3 = 36.
      Assert.AreEqual(36, Expected.Longs(q.IntRepr())[6]);

      var values = new float[30];  // 3 x 2 x 5
      for (int i = 0; i < values.Length; ++i) values[i] = i * 0.11f - 1.5f;
      Assert.AreSame(q, q.IndexPutInPlace(1, new long[] { 2, -1 }, values));
      for (int i = 0; i < 3; ++i) {
        for (int k = 0; k < 5; ++k) {
          reference.SetValue(new long[] { i, 2, k }, values[i * 10 + k]);
          reference.SetValue(new long[] { i, 3, k }, values[i * 10 + 5 + k]);
        }
      }
      Assert.AreEqual(Expected.Longs(reference.IntRepr()), Expected.Longs(q.IntRepr()));
    }
  }

  [Test]
  public void TheOperatorsWorkOnViewsAndWriteThroughThem() {
    using (Tensor q = PerChannel(0, DType.QUInt8))
    using (Tensor transposed = q.Transpose(0, 2))
    using (Tensor view = transposed.Slice(1, 3, null, -2))  // 5x2x3
    using (Tensor r = view.IndexSelect(2, new long[] { 1 }))
    using (Tensor empty = Tensor.EmptyLike(view)) {
      Assert.AreEqual(new long[] { 5, 2, 3 }, view.Shape);
      for (long i = 0; i < 5; ++i) {
        for (long j = 0; j < 2; ++j) Assert.AreEqual(view.GetValue(i, j, 1), r.GetValue(i, j, 0));
      }
      var values = Enumerable.Repeat(0.5f, 10).ToArray();  // 5 x 2 x 1
      view.IndexPutInPlace(2, new long[] { 1 }, values);
      // 0.5 in channel 1 (scale 0.023, zero point 3): round(21.7) = 22 steps.
      Assert.AreEqual((float)(22 * 0.023), view.GetValue(0, 0, 1));
      Assert.AreEqual(view.GetValue(0, 0, 1), q.GetValue(1, 3, 0));

      Assert.AreEqual(view.Shape, empty.Shape);
      Assert.AreEqual(DType.QUInt8, empty.DType);
      Assert.AreEqual(2, empty.QPerChannelAxis);
      Assert.AreEqual(view.QPerChannelScales, empty.QPerChannelScales);
      Assert.AreEqual(view.QPerChannelZeroPoints, empty.QPerChannelZeroPoints);
      Assert.IsTrue(empty.IsContiguous);
      Assert.AreEqual(new long[30], Expected.Longs(empty.IntRepr()));
    }
  }

  [Test]
  public void EmptyLikeOfAPerTensorTensorKeepsItsParameters() {
    using (Tensor q = Tensor.QuantizePerTensor(new float[] { 1, 2, 3, 4, 5, 6 },
                                               new long[] { 2, 3 }, 0.25, 7, DType.QInt32))
    using (Tensor empty = Tensor.EmptyLike(q)) {
      Assert.AreEqual(new long[] { 2, 3 }, empty.Shape);
      Assert.AreEqual(DType.QInt32, empty.DType);
      Assert.AreEqual(0.25, empty.QScale);
      Assert.AreEqual(7, empty.QZeroPoint);
      Assert.AreEqual(new int[6], empty.IntRepr());
      Assert.IsFalse(empty.SharesStorageWith(q));
    }
  }

  [Test]
  public void StorageDTypesTakeTheSamePaths() {
    foreach (DType dtype in new[] { DType.QInt16, DType.QUInt16, DType.QUInt4x2, DType.QUInt2x4,
                                    DType.QInt4, DType.QUInt4 }) {
      var data = new float[12];
      for (int i = 0; i < data.Length; ++i) data[i] = i % 5 % 4;  // inside QUInt2x4's 0..3
      using (Tensor q = Tensor.QuantizePerTensor(data, new long[] { 3, 4 }, 1.0, 0, dtype))
      using (Tensor picked = q.IndexSelect(1, new long[] { 3, 0 }))
      using (Tensor tiled = q.Repeat(2, 1))
      using (Tensor filled = q.Clone())
      using (Tensor empty = Tensor.EmptyLike(q)) {
        string name = dtype.ToString();
        long[] ints = Expected.Longs(q.IntRepr());
        long[] pickedInts = Expected.Longs(picked.IntRepr());
        for (int i = 0; i < 3; ++i) {
          Assert.AreEqual(ints[i * 4 + 3], pickedInts[i * 2], name);
          Assert.AreEqual(ints[i * 4], pickedInts[i * 2 + 1], name);
        }
        Assert.AreEqual(ints, Expected.Longs(tiled.IntRepr()).Skip(12).ToArray(), name);
        var mask = new bool[12];
        mask[0] = true;
        filled.MaskedFillInPlace(mask, 2.0f);
        long[] expected = (long[])ints.Clone();
        expected[0] = 2;
        Assert.AreEqual(expected, Expected.Longs(filled.IntRepr()), name);
        Assert.AreEqual(new long[12], Expected.Longs(empty.IntRepr()), name);
      }
    }
  }

  static void AssertThrows<T>(TestDelegate action) where T : QTensorException {
    var error = Assert.Throws<T>(action);
    Assert.Greater(error.Message.Length, 10, error.Message);
  }

  [Test]
  public void BadInputThrowsAndWritesNothing() {
    using (Tensor q = PerChannel(1, DType.QInt8)) {
      long[] before = Expected.Longs(q.IntRepr());
      AssertThrows<QTensorIndexException>(() => q.IndexSelect(1, new long[] { 4 }).Dispose());
      AssertThrows<QTensorIndexException>(() => q.IndexSelect(1, new long[] { -1 }).Dispose());
      AssertThrows<QTensorIndexException>(() => q.IndexSelect(3, new long[] { 0 }).Dispose());
      AssertThrows<QTensorArgumentException>(() => q.Repeat(2, 2).Dispose());
      AssertThrows<QTensorArgumentException>(() => q.Repeat(1, -1, 1).Dispose());
      AssertThrows<QTensorOutOfMemoryException>(() => q.Repeat(long.MaxValue, 1, 1).Dispose());
      AssertThrows<QTensorShapeException>(() => q.MaskedFillInPlace(new bool[59], 1.0f));
      AssertThrows<QTensorIndexException>(
          () => q.IndexPutInPlace(1, new long[] { 4 }, new float[15]));
      AssertThrows<QTensorIndexException>(
          () => q.IndexPutInPlace(-4, new long[] { 0 }, new float[20]));
      AssertThrows<QTensorShapeException>(
          () => q.IndexPutInPlace(1, new long[] { 0 }, new float[14]));
      Assert.Throws<ArgumentNullException>(() => q.IndexSelect(0, null));
      Assert.Throws<ArgumentNullException>(() => q.Repeat(null));
      Assert.Throws<ArgumentNullException>(() => q.MaskedFillInPlace(null, 1.0f));
      Assert.Throws<ArgumentNullException>(() => q.IndexPutInPlace(0, null, new float[0]));
      Assert.Throws<ArgumentNullException>(() => q.IndexPutInPlace(0, new long[0], null));
      Assert.Throws<ArgumentNullException>(() => Tensor.EmptyLike(null));
      Assert.AreEqual(before, Expected.Longs(q.IntRepr()));
    }
  }

  [Test]
  public void ADisposedTensorIsRefused() {
    Tensor q = PerChannel(1, DType.QInt8);
    q.Dispose();
    Assert.Throws<ObjectDisposedException>(() => q.IndexSelect(1, new long[] { 0 }));
    Assert.Throws<ObjectDisposedException>(() => q.Repeat(1, 1, 1));
    Assert.Throws<ObjectDisposedException>(() => q.MaskedFillInPlace(new bool[60], 1f));
    Assert.Throws<ObjectDisposedException>(() => q.IndexPutInPlace(1, new long[0], new float[0]));
    Assert.Throws<ObjectDisposedException>(() => Tensor.EmptyLike(q));
  }
}

}  // namespace QTensor.Tests
