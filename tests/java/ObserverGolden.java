package io.qtensor.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * tests/data/observer_golden.txt (written by tests/data/make_observer_golden.py
 * from PyTorch 1.13; its docstring describes the format): one record per
 * case, one "keyword tokens..." field per line; "batch_shape" starts a batch
 * and the "batch" line after it holds the row-major float32 values, as
 * Python's float.hex(). The path comes from the system property
 * qtensor.observer_golden.
 */
final class ObserverGolden {
  static final class Batch {
    long[] shape;
    float[] values = new float[0];
  }

  static final class Case {
    String name;
    final Map<String, String[]> fields = new HashMap<>();
    final List<Batch> batches = new ArrayList<>();

    boolean has(String key) {
      return fields.containsKey(key);
    }

    String[] all(String key) {
      String[] tokens = fields.get(key);
      if (tokens == null) {
        throw new AssertionError("case " + name + " lacks " + key);
      }
      return tokens;
    }

    String one(String key) {
      return all(key)[0];
    }

    long integer(String key) {
      return Long.parseLong(one(key));
    }

    boolean flag(String key) {
      return has(key) && integer(key) != 0;
    }

    String kind() {
      return one("kind");
    }
  }

  private ObserverGolden() {}

  /** float.hex() text: Java reads the hexadecimal form itself. */
  static double hex(String token) {
    switch (token) {
      case "inf":
        return Double.POSITIVE_INFINITY;
      case "-inf":
        return Double.NEGATIVE_INFINITY;
      case "nan":
        return Double.NaN;
      default:
        return Double.parseDouble(token);
    }
  }

  static List<Case> load() throws IOException {
    String path = System.getProperty("qtensor.observer_golden");
    if (path == null || path.isEmpty()) {
      throw new AssertionError("system property qtensor.observer_golden is not set");
    }
    List<Case> cases = new ArrayList<>();
    Case current = null;
    for (String line : Files.readAllLines(Paths.get(path), StandardCharsets.US_ASCII)) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] words = line.trim().split(" +");
      String key = words[0];
      String[] tokens = java.util.Arrays.copyOfRange(words, 1, words.length);
      switch (key) {
        case "case":
          current = new Case();
          current.name = tokens[0];
          break;
        case "end":
          cases.add(current);
          current = null;
          break;
        case "batch_shape": {
          Batch batch = new Batch();
          batch.shape = new long[tokens.length];
          for (int i = 0; i < tokens.length; i++) {
            batch.shape[i] = Long.parseLong(tokens[i]);
          }
          current.batches.add(batch);
          break;
        }
        case "batch": {
          Batch batch = current.batches.get(current.batches.size() - 1);
          batch.values = new float[tokens.length];
          for (int i = 0; i < tokens.length; i++) {
            batch.values[i] = (float) hex(tokens[i]);
          }
          break;
        }
        default:
          current.fields.put(key, tokens);
      }
    }
    return cases;
  }
}
