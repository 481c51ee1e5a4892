package io.qtensor.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.Test;

/**
 * docs/bindings.md against the C header and the Java binding: every
 * function the header declares has one row of the table, every row names a
 * function of the header, and every member the Java column names is a public
 * member of io.qtensor with those parameter names, in that order (read by
 * reflection: the jar is compiled with -parameters). The paths come from the
 * system properties qtensor.table and qtensor.header.
 */
public class ApiTableTest {
  // A declaration of the header starts a line: QTENSOR_API <type> qt_name(.
  static final Pattern DECLARATION =
      Pattern.compile("^QTENSOR_API\\s[^;(]*?\\b(qt_\\w+)\\s*\\(", Pattern.MULTILINE);
  static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
  // One member of a Java cell: `new Class(a, b)` or `Class.member(a, b)`.
  static final Pattern MEMBER =
      Pattern.compile("`(?:new (\\w+)|(\\w+)\\.(\\w+))\\(((?:\\w+(?:, \\w+)*)?)\\)`");
  static final String PACKAGE = "io.qtensor.";

  static Path property(String name) {
    String value = System.getProperty(name);
    assertTrue("system property " + name + " is not set", value != null && !value.isEmpty());
    return Paths.get(value);
  }

  /** The qt_ functions the header declares, in order. */
  static Set<String> headerFunctions(String header) {
    Set<String> functions = new LinkedHashSet<>();
    Matcher matcher = DECLARATION.matcher(COMMENT.matcher(header).replaceAll(""));
    while (matcher.find()) {
      functions.add(matcher.group(1));
    }
    return functions;
  }

  /** The cells of a table line, without the outer pipes. */
  static List<String> cells(String line) {
    String inner = line.trim();
    inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
    return Arrays.stream(inner.split("\\|", -1)).map(String::trim).collect(Collectors.toList());
  }

  /**
   * The Java cell of each row whose first cell is a backticked qt_ function,
   * by function; a function with two rows is reported in problems.
   */
  static Map<String, String> javaColumn(List<String> lines, List<String> problems) {
    int javaIndex = -1;
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : lines) {
      if (!line.startsWith("|")) {
        continue;
      }
      List<String> cells = cells(line);
      if (cells.get(0).equals("C function")) {
        javaIndex = cells.indexOf("Java");
        continue;
      }
      if (!cells.get(0).matches("`qt_\\w+`")) {
        continue;
      }
      String function = cells.get(0).replace("`", "");
      if (javaIndex < 0 || javaIndex >= cells.size()) {
        problems.add(function + ": no Java column (the table's header row names none)");
      } else if (rows.put(function, cells.get(javaIndex)) != null) {
        problems.add(function + ": more than one row");
      }
    }
    return rows;
  }

  /** What is wrong with the Java cell of a row (empty if nothing). */
  static List<String> checkJavaCell(String function, String cell) {
    List<String> problems = new ArrayList<>();
    if (cell.startsWith("absent:")) {
      if (cell.substring("absent:".length()).trim().isEmpty()) {
        problems.add(function + ": \"absent:\" without a reason");
      }
      return problems;
    }
    for (String entry : cell.split(" · ", -1)) {
      Matcher member = MEMBER.matcher(entry.trim());
      if (!member.matches()) {
        problems.add(function + ": \"" + entry.trim()
                     + "\" is neither `Class.member(p1, p2)` nor `new Class(p1, p2)`");
        continue;
      }
      boolean constructor = member.group(1) != null;
      String className = constructor ? member.group(1) : member.group(2);
      List<String> wanted = member.group(4).isEmpty()
          ? List.of() : Arrays.asList(member.group(4).split(", "));
      Class<?> type;
      try {
        type = Class.forName(PACKAGE + className, false, ApiTableTest.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        problems.add(function + ": " + PACKAGE + className + " does not exist");
        continue;
      }
      if (!Modifier.isPublic(type.getModifiers())) {
        problems.add(function + ": " + PACKAGE + className + " is not public");
        continue;
      }
      List<Executable> candidates = new ArrayList<>();
      if (constructor) {
        candidates.addAll(Arrays.asList(type.getConstructors()));
      } else {
        Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(member.group(3)))
            .forEach(candidates::add);
      }
      String what = constructor ? "constructor " + className : "method " + member.group(3);
      if (candidates.isEmpty()) {
        problems.add(function + ": " + PACKAGE + className + " has no public " + what);
        continue;
      }
      Set<String> found = new TreeSet<>();
      for (Executable candidate : candidates) {
        found.add(parameterNames(candidate).toString());
      }
      String expected = wanted.toString();
      if (!found.contains(expected)) {
        problems.add(function + ": " + PACKAGE + className + " has no public " + what
                     + " with parameters (" + String.join(", ", wanted) + "); it has "
                     + String.join(" ", found));
      }
    }
    return problems;
  }

  static List<String> parameterNames(Executable executable) {
    List<String> names = new ArrayList<>();
    for (Parameter parameter : executable.getParameters()) {
      names.add(parameter.isNamePresent() ? parameter.getName() : "?" + parameter.getName());
    }
    return names;
  }

  static String read(Path path) throws IOException {
    return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
  }

  @Test
  public void everyHeaderFunctionHasExactlyOneRow() throws IOException {
    Set<String> functions = headerFunctions(read(property("qtensor.header")));
    List<String> problems = new ArrayList<>();
    Map<String, String> rows =
        javaColumn(Files.readAllLines(property("qtensor.table"), StandardCharsets.UTF_8),
                   problems);
    // A parser that found nothing would pass everything below.
    assertTrue("only " + functions.size() + " functions read from the header",
               functions.size() >= 80);
    for (String function : functions) {
      if (!rows.containsKey(function)) {
        problems.add(function + ": declared in qtensor.h but has no row in docs/bindings.md");
      }
    }
    for (String function : rows.keySet()) {
      if (!functions.contains(function)) {
        problems.add(function + ": has a row in docs/bindings.md but qtensor.h declares no"
                     + " such function");
      }
    }
    assertEquals("", String.join("\n", problems));
  }

  @Test
  public void everyJavaEntryIsAPublicMemberWithThoseParameterNames() throws IOException {
    List<String> problems = new ArrayList<>();
    Map<String, String> rows =
        javaColumn(Files.readAllLines(property("qtensor.table"), StandardCharsets.UTF_8),
                   problems);
    assertTrue("only " + rows.size() + " rows read from the table", rows.size() >= 80);
    for (Map.Entry<String, String> row : rows.entrySet()) {
      problems.addAll(checkJavaCell(row.getKey(), row.getValue()));
    }
    assertEquals("", String.join("\n", problems));
  }

  // The checker itself: each way a cell can be wrong is reported.
  @Test
  public void theCheckerReportsWhatIsMissing() throws Exception {
    assertEquals(List.of(), checkJavaCell("qt_slice", "`QTensor.slice(dim, start, stop, step)`"));
    assertEquals(List.of(), checkJavaCell("qt_bundle_new", "`new Bundle()`"));
    assertEquals(List.of(), checkJavaCell(
        "qt_dequantize", "`QTensor.dequantize()` · `QTensor.dequantizeTo(destination)`"));
    assertEquals(List.of(), checkJavaCell("qt_buffer_free", "absent: copied at once"));
    assertEquals(List.of("qt_x: \"absent:\" without a reason"), checkJavaCell("qt_x", "absent: "));
    assertEquals(List.of("qt_slice: io.qtensor.QTensor has no public method slice with parameters"
                         + " (dim, stop, start, step); it has [dim, start, stop, step]"
                         + " [dim, start, stop]"),
                 checkJavaCell("qt_slice", "`QTensor.slice(dim, stop, start, step)`"));
    assertEquals(List.of("qt_x: io.qtensor.QTensor has no public method frob"),
                 checkJavaCell("qt_x", "`QTensor.numel()` · `QTensor.frob()`"));
    assertEquals(List.of("qt_x: io.qtensor.Bundle has no public method size with parameters"
                         + " (index); it has []"),
                 checkJavaCell("qt_x", "`Bundle.size(index)`"));
    assertEquals(List.of("qt_x: io.qtensor.Tensor does not exist"),
                 checkJavaCell("qt_x", "`Tensor.dim()`"));
    assertEquals(List.of("qt_x: io.qtensor.NativeTensor is not public"),
                 checkJavaCell("qt_x", "`NativeTensor.dim()`"));
    assertEquals(List.of("qt_x: io.qtensor.Bundle has no public constructor Bundle with"
                         + " parameters (name); it has []"),
                 checkJavaCell("qt_x", "`new Bundle(name)`"));
    assertEquals(List.of("qt_x: \"`Tensor.Dim`\" is neither `Class.member(p1, p2)` nor"
                         + " `new Class(p1, p2)`"),
                 checkJavaCell("qt_x", "`Tensor.Dim`"));
    assertEquals(List.of("qt_a", "qt_b"),
                 new ArrayList<>(headerFunctions(
                     "#define QTENSOR_API\n/* qt_c(void) */\nQTENSOR_API int qt_a(void);\n"
                     + "QTENSOR_API const char*\n    qt_b(int x);\n")));
  }

  @Test
  public void parameterNamesAreCompiledIn() throws Exception {
    Class<?> tensor = Class.forName(PACKAGE + "QTensor", false, getClass().getClassLoader());
    assertEquals(List.of("dim", "index"),
                 parameterNames(tensor.getMethod("select", long.class, long.class)));
  }
}
