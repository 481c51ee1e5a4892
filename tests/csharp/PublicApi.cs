// The public members of QTensor.dll, found by reflection, and arguments to
// call them with: for tests that must hold for every member (disposed
// objects, strings), including members added later.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using QTensor;

namespace QTensor.Tests {

static class PublicApi {
  const BindingFlags Declared =
      BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

  // Every public constructor and method (property accessors included) of
  // every public type, generic methods closed over sbyte.
  public static IEnumerable<MethodBase> Callables() {
    foreach (Type type in typeof(Tensor).Assembly.GetExportedTypes()) {
      foreach (ConstructorInfo constructor in type.GetConstructors()) yield return constructor;
      foreach (MethodInfo method in type.GetMethods(Declared)) yield return Closed(method);
    }
  }

  // The public instance methods (accessors included) declared by type.
  public static IEnumerable<MethodInfo> InstanceMethods(Type type) {
    return type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        .Select(Closed);
  }

  static MethodInfo Closed(MethodInfo method) {
    return method.IsGenericMethodDefinition ? method.MakeGenericMethod(typeof(sbyte)) : method;
  }

  // "Tensor.IntReprTo(SByte[] destination)".
  public static string Describe(MethodBase method) {
    string parameters = string.Join(
        ", ", method.GetParameters().Select(p => p.ParameterType.Name + " " + p.Name));
    return $"{method.DeclaringType.Name}.{method.Name}({parameters})";
  }

  // A layer of one input and one output feature (never disposed).
  static readonly Lazy<PackedLinear> SamplePacked = new Lazy<PackedLinear>(() => {
    using (Quantizer quantizer = Quantizer.PerTensor(1.0, 0, DType.QInt8))
    using (Tensor weight = Tensor.FromIntRepr(new sbyte[] { 1 }, new long[] { 1, 1 }, quantizer)) {
      return PackedLinear.Prepack(weight, null);
    }
  });

  // A 1x1 convolution of one channel (never disposed).
  static readonly Lazy<PackedConv2d> SamplePackedConv2d = new Lazy<PackedConv2d>(() => {
    using (Quantizer quantizer = Quantizer.PerTensor(1.0, 0, DType.QInt8))
    using (Tensor weight = Tensor.FromIntRepr(new sbyte[] { 1 }, new long[] { 1, 1, 1, 1 },
                                              quantizer)) {
      var one = new long[] { 1, 1 };
      return PackedConv2d.Prepack(weight, null, one, new long[] { 0, 0 }, one, 1);
    }
  });

  // A valid argument of each parameter type the API takes; Tensor and
  // Quantizer arguments come from the caller (open or disposed ones).
  public static object Sample(Type type, Tensor tensor, Quantizer quantizer) {
    if (type.IsByRef) return null;  // an out parameter
    if (type == typeof(string)) return "x";
    if (type == typeof(Tensor)) return tensor;
    if (type == typeof(Quantizer)) return quantizer;
    if (type == typeof(PackedLinear)) return SamplePacked.Value;
    if (type == typeof(PackedConv2d)) return SamplePackedConv2d.Value;
    if (type == typeof(long?)) return null;
    if (type == typeof(long[])) return new long[] { 1 };
    if (type == typeof(double[])) return new[] { 1.0 };
    if (type.IsArray) return Array.CreateInstance(type.GetElementType(), 1);
    if (type == typeof(double)) return 1.0;
    if (type.IsEnum) return Enum.GetValues(type).GetValue(0);
    if (type.IsValueType) return Activator.CreateInstance(type);
    throw new ArgumentException($"no sample argument of type {type}");
  }

  public static object[] Samples(MethodBase method, Tensor tensor, Quantizer quantizer) {
    return method.GetParameters().Select(p => Sample(p.ParameterType, tensor, quantizer)).ToArray();
  }

  // Calls method; the exception it threw, or null.
  public static Exception Thrown(MethodBase method, object target, object[] arguments) {
    try {
      object result = method is ConstructorInfo constructor ? constructor.Invoke(arguments)
                                                             : method.Invoke(target, arguments);
      (result as IDisposable)?.Dispose();
      return null;
    } catch (TargetInvocationException error) {
      return error.InnerException;
    }
  }
}

}  // namespace QTensor.Tests
