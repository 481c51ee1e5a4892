package io.qtensor.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.Test;

/**
 * Runs docs/java.md: its ```java blocks, in order, form the body of one
 * main method (their import lines go to the top of the file); the ```text
 * block right after a java block is what that block prints. Blocks of
 * another kind, ```java Example.java included, and their output are skipped. The paths come from
 * the system properties qtensor.doc and qtensor.jar.
 */
public class DocsTest {
  static final String CELL_MARK = "\u001e";

  static final class Cell {
    final StringBuilder code = new StringBuilder();
    final StringBuilder output = new StringBuilder();
    final int line;

    Cell(int line) {
      this.line = line;
    }
  }

  static List<Cell> parse(List<String> lines) {
    List<Cell> cells = new ArrayList<>();
    StringBuilder target = null;
    boolean afterCell = false;  // the last block closed was a ```java cell
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (target == null && line.equals("```java")) {
        cells.add(new Cell(i + 1));
        target = cells.get(cells.size() - 1).code;
        afterCell = true;
      } else if (target == null && line.equals("```text") && afterCell) {
        target = cells.get(cells.size() - 1).output;
        afterCell = false;
      } else if (target == null && line.startsWith("```") && !line.equals("```")) {
        // Another language, or a whole program such as ```java Example.java
        // (run by java_self_contained_jar), and the output after it: skipped.
        target = new StringBuilder();
        afterCell = false;
      } else if (line.equals("```") && target != null) {
        target = null;
      } else if (target != null) {
        target.append(line).append('\n');
      }
    }
    return cells;
  }

  static String program(List<Cell> cells) {
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (Cell cell : cells) {
      body.append("System.out.print(\"\\u001e\");\n");
      for (String line : cell.code.toString().split("\n", -1)) {
        (line.startsWith("import ") ? imports : body).append(line).append('\n');
      }
    }
    return imports + "public class JavaDocExample {\n"
        + "public static void main(String[] args) throws Exception {\n" + body + "}\n}\n";
  }

  @Test
  public void everyBlockRunsAndPrintsWhatTheDocShows() throws Exception {
    Path doc = Paths.get(System.getProperty("qtensor.doc"));
    List<Cell> cells = parse(Files.readAllLines(doc, StandardCharsets.UTF_8));
    assertTrue("no java blocks in " + doc, cells.size() >= 10);

    Path dir = Files.createTempDirectory("qtensor-java-doc");
    Path source = dir.resolve("JavaDocExample.java");
    Files.write(source, program(cells).getBytes(StandardCharsets.UTF_8));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int status = compiler.run(null, diagnostics, diagnostics, "-cp",
                              System.getProperty("qtensor.jar"), "-d", dir.toString(),
                              source.toString());
    assertEquals("the doc's code does not compile:\n" + diagnostics, 0, status);

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream original = System.out;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                                                    DocsTest.class.getClassLoader())) {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      loader.loadClass("JavaDocExample").getMethod("main", String[].class)
          .invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(original);
    }
    String[] outputs = printed.toString(StandardCharsets.UTF_8).split(CELL_MARK, -1);
    assertEquals(cells.size() + 1, outputs.length);
    for (int i = 0; i < cells.size(); i++) {
      assertEquals("output of the java block at " + doc + ":" + cells.get(i).line,
                   cells.get(i).output.toString(), outputs[i + 1]);
    }
  }
}
