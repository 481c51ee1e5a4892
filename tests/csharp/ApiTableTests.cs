// docs/bindings.md's table against the C header and this binding (ctest
// csharp_api_table): every function the header declares has exactly one row
// and every row names a function of the header; each C# cell is either
// "absent: <reason>" or members that exist in QTensor.dll with the parameter
// names written, in order. ctest passes the two files' paths in
// QTENSOR_BINDINGS_TABLE and QTENSOR_C_HEADER.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

// One row of the table: the C function and the C# cell, with its line.
public sealed class TableRow {
  public TableRow(int line, string function, string csharp) {
    Line = line;
    Function = function;
    CSharp = csharp;
  }
  public int Line { get; }
  public string Function { get; }
  public string CSharp { get; }
}

public static class ApiTable {
  // The functions the header declares (QTENSOR_API <type> qt_name(), with
  // comments removed first.
  public static List<string> HeaderFunctions(string header) {
    string code = Regex.Replace(header, @"/\*.*?\*/", " ", RegexOptions.Singleline);
    code = Regex.Replace(code, @"//[^\n]*", "");
    return Regex.Matches(code, @"\bQTENSOR_API\s+[\w\s\*]*?\b(qt_\w+)\s*\(")
        .Cast<Match>()
        .Select(match => match.Groups[1].Value)
        .ToList();
  }

  // The rows of the table whose header row is "| C function | ... | C# | ...":
  // problems (a malformed row) go to problems.
  public static List<TableRow> Rows(string markdown, List<string> problems) {
    string[] lines = markdown.Replace("\r\n", "\n").Split('\n');
    int header = Array.FindIndex(lines, line => Regex.IsMatch(line, @"^\|\s*C function\s*\|"));
    var rows = new List<TableRow>();
    if (header < 0) {
      problems.Add("no table whose first column is \"C function\"");
      return rows;
    }
    List<string> titles = Cells(lines[header]);
    int column = titles.IndexOf("C#");
    if (column < 0) {
      problems.Add($"line {header + 1}: the table has no C# column ({string.Join(" | ", titles)})");
      return rows;
    }
    for (int i = header + 2; i < lines.Length && lines[i].StartsWith("|"); ++i) {
      List<string> cells = Cells(lines[i]);
      Match function = Regex.Match(cells[0], @"^`(qt_\w+)`$");
      if (!function.Success) {
        problems.Add($"line {i + 1}: the first column, {cells[0]}, is not a `qt_` function");
      } else if (cells.Count != titles.Count) {
        problems.Add($"line {i + 1} ({function.Groups[1].Value}): {cells.Count} columns, " +
                     $"the table has {titles.Count}");
      } else {
        rows.Add(new TableRow(i + 1, function.Groups[1].Value, cells[column]));
      }
    }
    return rows;
  }

  // The cells of "| a | b |" (a "\|" stays in its cell).
  static List<string> Cells(string line) {
    string inner = line.Trim();
    inner = inner.Substring(1, inner.EndsWith("|") ? inner.Length - 2 : inner.Length - 1);
    return Regex.Split(inner, @"(?<!\\)\|").Select(cell => cell.Trim()).ToList();
  }

  // What is wrong with a C# cell, one line per problem (none if it holds).
  public static List<string> CellProblems(string cell, Assembly assembly) {
    var problems = new List<string>();
    Match absent = Regex.Match(cell, @"^absent:(.*)$");
    if (absent.Success) {
      if (absent.Groups[1].Value.Trim().Length == 0) problems.Add("absent: without a reason");
      return problems;
    }
    if (cell.Length == 0) {
      problems.Add("the cell is empty");
      return problems;
    }
    foreach (string part in cell.Split(new[] { " \u00b7 " }, StringSplitOptions.None)) {
      Match entry = Regex.Match(part.Trim(), "^`([^`]+)`$");
      string problem = entry.Success ? MemberProblem(entry.Groups[1].Value, assembly)
                                     : $"{part.Trim()} is not one `member`";
      if (problem != null) problems.Add(problem);
    }
    return problems;
  }

  // Why entry ("Class.Method(a, b)", "Class.Property", "Class[key]",
  // "new Class()") names no public member of assembly, or null.
  public static string MemberProblem(string entry, Assembly assembly) {
    Match match;
    if ((match = Regex.Match(entry, @"^new (\w+)\((.*)\)$")).Success) {
      return Constructor(entry, TypeNamed(match.Groups[1].Value, assembly), match.Groups[2].Value);
    }
    if ((match = Regex.Match(entry, @"^(\w+)\.(\w+)\((.*)\)$")).Success) {
      return Method(entry, TypeNamed(match.Groups[1].Value, assembly), match.Groups[2].Value,
                    match.Groups[3].Value);
    }
    if ((match = Regex.Match(entry, @"^(\w+)\[(.+)\]$")).Success) {
      return Indexer(entry, TypeNamed(match.Groups[1].Value, assembly), match.Groups[2].Value);
    }
    if ((match = Regex.Match(entry, @"^(\w+)\.(\w+)$")).Success) {
      return Property(entry, TypeNamed(match.Groups[1].Value, assembly), match.Groups[2].Value);
    }
    return $"`{entry}` is none of Class.Method(a, b), Class.Property, Class[key], new Class()";
  }

  const BindingFlags Members = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static;

  static Type TypeNamed(string name, Assembly assembly) {
    return assembly.GetExportedTypes().FirstOrDefault(
        type => type.Namespace == "QTensor" && type.Name == name);
  }

  // "a, b" as a list of names; null if one is not an identifier.
  static string[] Names(string list) {
    string[] names = list.Trim().Length == 0
                         ? new string[0]
                         : list.Split(',').Select(name => name.Trim()).ToArray();
    return names.All(name => Regex.IsMatch(name, @"^\w+$")) ? names : null;
  }

  static string Signature(ParameterInfo[] parameters) {
    return "(" + string.Join(", ", parameters.Select(p => p.Name)) + ")";
  }

  static string Overloads(IEnumerable<ParameterInfo[]> overloads) {
    return string.Join(" and ", overloads.Select(Signature));
  }

  static string Matching(string entry, string what, IList<ParameterInfo[]> candidates,
                         string list) {
    string[] names = Names(list);
    if (names == null) return $"`{entry}`: cannot read the parameter names ({list})";
    if (candidates.Count == 0) return $"`{entry}`: there is no public {what}";
    if (candidates.Any(parameters => parameters.Select(p => p.Name).SequenceEqual(names))) {
      return null;
    }
    return $"`{entry}`: no public {what} has the parameters ({string.Join(", ", names)}); " +
           $"there are {Overloads(candidates)}";
  }

  static string Constructor(string entry, Type type, string list) {
    if (type == null) return $"`{entry}`: QTensor.dll has no public class of that name";
    return Matching(entry, $"constructor of {type.Name}",
                 type.GetConstructors().Select(c => c.GetParameters()).ToList(), list);
  }

  static string Method(string entry, Type type, string name, string list) {
    if (type == null) return $"`{entry}`: QTensor.dll has no public class of that name";
    var overloads = type.GetMethods(Members)
                        .Where(method => method.Name == name && !method.IsSpecialName)
                        .Select(method => method.GetParameters())
                        .ToList();
    return Matching(entry, $"method {type.Name}.{name}", overloads, list);
  }

  static string Indexer(string entry, Type type, string list) {
    if (type == null) return $"`{entry}`: QTensor.dll has no public class of that name";
    var indexers = type.GetProperties(Members)
                       .Select(property => property.GetIndexParameters())
                       .Where(parameters => parameters.Length > 0)
                       .ToList();
    return Matching(entry, $"indexer of {type.Name}", indexers, list);
  }

  static string Property(string entry, Type type, string name) {
    if (type == null) return $"`{entry}`: QTensor.dll has no public class of that name";
    bool found = type.GetProperties(Members).Any(
        property => property.Name == name && property.GetIndexParameters().Length == 0);
    if (found) return null;
    bool method = type.GetMethods(Members).Any(m => m.Name == name && !m.IsSpecialName);
    return $"`{entry}`: {type.Name} has no public property {name}" +
           (method ? $" ({name} is a method: write {type.Name}.{name}(...))" : "");
  }
}

[TestFixture]
public class ApiTableTests {
  static readonly Assembly QTensorAssembly = typeof(Tensor).Assembly;

  static string Read(string variable) {
    string path = Environment.GetEnvironmentVariable(variable);
    if (string.IsNullOrEmpty(path)) {
      Assert.Fail($"{variable} is not set (ctest's csharp_api_table sets it to the file's path)");
    }
    return File.ReadAllText(path);
  }

  static string HeaderText() => Read("QTENSOR_C_HEADER");
  static List<string> Header() => ApiTable.HeaderFunctions(HeaderText());

  static List<TableRow> Table() {
    var problems = new List<string>();
    List<TableRow> rows = ApiTable.Rows(Read("QTENSOR_BINDINGS_TABLE"), problems);
    Assert.IsEmpty(problems, "docs/bindings.md: " + string.Join("\n", problems));
    return rows;
  }

  // Guards the parsers: a pattern that matched nothing would pass the rest.
  [Test]
  public void TheHeaderAndTheTableAreRead() {
    List<string> functions = Header();
    Assert.GreaterOrEqual(functions.Count, 80);
    // Each declaration of qtensor.h starts a line: a count by another route.
    Assert.AreEqual(HeaderText().Split('\n').Count(line => line.StartsWith("QTENSOR_API ")),
                    functions.Count);
    CollectionAssert.Contains(functions, "qt_last_error_message");
    CollectionAssert.Contains(functions, "qt_quantizer_new_per_tensor");
    CollectionAssert.Contains(functions, "qt_bundle_load");
    CollectionAssert.AllItemsAreUnique(functions);
    List<TableRow> rows = Table();
    Assert.AreEqual(functions.Count, rows.Count);
    TableRow perTensor = rows.Single(row => row.Function == "qt_quantizer_new_per_tensor");
    Assert.AreEqual("`Quantizer.PerTensor(scale, zeroPoint, dtype)`", perTensor.CSharp);
  }

  [Test]
  public void EveryHeaderFunctionHasOneRow() {
    List<TableRow> rows = Table();
    var problems = new List<string>();
    foreach (string function in Header()) {
      int count = rows.Count(row => row.Function == function);
      if (count == 0) problems.Add($"{function} (qtensor.h) has no row in docs/bindings.md");
      if (count > 1) {
        problems.Add($"{function} has {count} rows in docs/bindings.md (lines " +
                     string.Join(", ", rows.Where(row => row.Function == function)
                                           .Select(row => row.Line)) + ")");
      }
    }
    Assert.IsEmpty(problems, string.Join("\n", problems));
  }

  [Test]
  public void EveryRowNamesAHeaderFunction() {
    var functions = new HashSet<string>(Header());
    string[] strays = Table()
                          .Where(row => !functions.Contains(row.Function))
                          .Select(row => $"docs/bindings.md line {row.Line}: {row.Function} " +
                                         "is not declared in qtensor.h")
                          .ToArray();
    Assert.IsEmpty(strays, string.Join("\n", strays));
  }

  [Test]
  public void EveryCSharpCellNamesMembersOfQTensorDll() {
    var problems = new List<string>();
    foreach (TableRow row in Table()) {
      foreach (string problem in ApiTable.CellProblems(row.CSharp, QTensorAssembly)) {
        problems.Add($"{row.Function} (docs/bindings.md line {row.Line}): {problem}");
      }
    }
    Assert.IsEmpty(problems, string.Join("\n", problems));
  }

  // The checker itself: it accepts each kind of entry that exists and names
  // what is missing in each that does not.
  [Test]
  public void TheCheckerFindsWhatIsThereAndNamesWhatIsNot() {
    string[] present = {
      "`Quantizer.PerTensor(scale, zeroPoint, dtype)`", "`Tensor.Contiguous()`",
      "`Tensor.Numel`", "`Tensor[index]`", "`Bundle[name]` \u00b7 `Bundle[index]`",
      "`new Bundle()`", "`DTypeExtensions.TorchName(dtype)`", "`Tensor.ToString()`",
      "`Tensor.Dequantize()` \u00b7 `Tensor.DequantizeTo(destination)`",
      "absent: a reason", "`QTensorException.Status`", "`Bundle.TryGetValue(name, tensor)`",
    };
    foreach (string cell in present) {
      CollectionAssert.IsEmpty(ApiTable.CellProblems(cell, QTensorAssembly), cell);
    }
    var missing = new Dictionary<string, string> {
      { "`Quantizer.PerTensor(dtype, scale, zeroPoint)`",
        "`Quantizer.PerTensor(dtype, scale, zeroPoint)`: no public method Quantizer.PerTensor " +
        "has the parameters (dtype, scale, zeroPoint); there are (scale, zeroPoint, dtype)" },
      { "`Tensor.Contiguous(dim)`",
        "`Tensor.Contiguous(dim)`: no public method Tensor.Contiguous has the parameters (dim); " +
        "there are ()" },
      { "`Tensor.Numel()`", "`Tensor.Numel()`: there is no public method Tensor.Numel" },
      { "`Tensor.Item`",
        "`Tensor.Item`: Tensor has no public property Item (Item is a method: write " +
        "Tensor.Item(...))" },
      { "`Tensor[dim]`",
        "`Tensor[dim]`: no public indexer of Tensor has the parameters (dim); there are (index)" },
      { "`Quantizer[index]`", "`Quantizer[index]`: there is no public indexer of Quantizer" },
      { "`new Tensor()`", "`new Tensor()`: there is no public constructor of Tensor" },
      { "`NativeTensor.numel()`", "`NativeTensor.numel()`: QTensor.dll has no public class of " +
                                  "that name" },
      { "`Tensor.Select(dim, index)` \u00b7 Tensor[index]",
        "Tensor[index] is not one `member`" },
      { "absent:  ", "absent: without a reason" },
      { "`Tensor.Slice(dim, start stop)`",
        "`Tensor.Slice(dim, start stop)`: cannot read the parameter names (dim, start stop)" },
      { "`Tensor::slice`",
        "`Tensor::slice` is none of Class.Method(a, b), Class.Property, Class[key], new Class()" },
    };
    foreach (var pair in missing) {
      Assert.AreEqual(new[] { pair.Value }, ApiTable.CellProblems(pair.Key, QTensorAssembly),
                      pair.Key);
    }
  }

  [Test]
  public void TheParsersReadOnlyDeclarationsAndTableRows() {
    string header = "#define QTENSOR_API __attribute__((visibility(\"default\")))\n" +
                    "/* QTENSOR_API int qt_in_a_comment(void); */\n" +
                    "// QTENSOR_API int qt_in_a_line_comment(void);\n" +
                    "QTENSOR_API const char* qt_first(void);\n" +
                    "QTENSOR_API qt_status qt_second(qt_tensor** out,\n" +
                    "                                const qt_tensor* tensor);\n" +
                    "qt_status qt_not_exported(void);\n";
    Assert.AreEqual(new[] { "qt_first", "qt_second" }, ApiTable.HeaderFunctions(header));
    string markdown = "| C function | Java | C# | Python |\n|---|---|---|---|\n" +
                      "| `qt_first` | `A.a()` | `A.B` | `a` |\n" +
                      "| qt_second | x | y | z |\n" +
                      "| `qt_third` | x | y |\n" +
                      "| `qt_fourth` | x | `A[k]` \\| `B` | z |\n" +
                      "\n| `qt_after_the_table` | x | y | z |\n";
    var problems = new List<string>();
    List<TableRow> rows = ApiTable.Rows(markdown, problems);
    Assert.AreEqual(new[] { "qt_first", "qt_fourth" }, rows.Select(row => row.Function));
    Assert.AreEqual(new[] { "`A.B`", "`A[k]` \\| `B`" }, rows.Select(row => row.CSharp));
    Assert.AreEqual(new[] { 3, 6 }, rows.Select(row => row.Line));
    Assert.AreEqual(new[] {
      "line 4: the first column, qt_second, is not a `qt_` function",
      "line 5 (qt_third): 3 columns, the table has 4",
    }, problems);
  }
}

}  // namespace QTensor.Tests
