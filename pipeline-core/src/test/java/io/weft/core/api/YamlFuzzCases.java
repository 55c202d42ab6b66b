package io.weft.core.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Inputs for {@link WorkflowYamlFuzzTest}, all drawn from one {@link Random}: random bytes, random
 * YAML-ish text, random definition-shaped trees, and mutations of valid definitions (truncation,
 * byte flips, duplicated keys, wrong types, deep nesting, alias bombs, huge numbers, very long
 * strings, invalid UTF-8).
 */
final class YamlFuzzCases {

  /**
   * One input: text is read with {@link WorkflowYaml#parse}, bytes are written to a file and read
   * with {@link WorkflowYaml#read}, so that undecodable bytes reach the reader as they are.
   *
   * @param what how the input was made, for failure messages
   */
  record Case(String what, String text, byte[] bytes) {

    static Case text(String what, String text) {
      return new Case(what, text, null);
    }

    static Case bytes(String what, byte[] bytes) {
      return new Case(what, null, bytes);
    }

    int size() {
      return text != null ? text.length() : bytes.length;
    }
  }

  private static final String[] KEYS = {
    "name",
    "version",
    "description",
    "params",
    "tasks",
    "id",
    "type",
    "dependsOn",
    "retry",
    "maxAttempts",
    "backoff",
    "initial",
    "multiplier",
    "max",
    "timeout",
    "queueTimeout",
    "when",
    "forEach",
    "onFailure",
    "resources",
    "cpu",
    "memory",
    "gpu",
    "x",
    "<<"
  };

  private static final String[] SCALARS = {
    "1",
    "-7",
    "0",
    "0.5",
    "2.0",
    "1e400",
    "-1e400",
    ".nan",
    ".inf",
    "~",
    "null",
    "true",
    "no",
    "30s",
    "0ms",
    "999999999999h",
    "8Gi",
    "1.5",
    "99999999999999999999999",
    "0x1F",
    "0o17",
    "''",
    "\"\"",
    "fail-run",
    "continue",
    "a",
    "train",
    "mnist",
    "${params.x}",
    "${tasks.a.outputs.b}",
    "${item}",
    "${",
    "$${x}",
    "${tasks..outputs}",
    "(((",
    "!",
    "\"${params.x} > 1 && !true\"",
    "!!binary aGk=",
    "!!str 12",
    "!!int x",
    "!!float y",
    "!foo bar",
    "2001-12-14t21:59:43.10Z",
    "190:20:30",
    "é",
    "\uD83D\uDE00",
    "'\\u0000'",
    "\"\\uD800\""
  };

  private static final String[] TOKENS = {
    "\n",
    "\n  ",
    "\n    ",
    "\n      ",
    "- ",
    ": ",
    ":",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!str ",
    "!!map ",
    "!!seq ",
    "!tag ",
    "|\n",
    ">-\n",
    "'",
    "\"",
    "# c",
    "---\n",
    "...\n",
    "? ",
    "%YAML 1.2\n",
    "%TAG ! tag:x,2000:\n",
    "\t",
    "\\",
    "\r\n",
    "\u0000",
    "\u0085",
    "\uFEFF",
    "\uFFFD",
    " ",
    "  "
  };

  private static final String[] MUTATIONS = {
    "truncation", "byte flips", "duplicated line", "wrong type", "deep nesting", "alias bomb",
    "huge number", "long string", "invalid UTF-8", "spliced lines", "inserted tokens", "random tree"
  };

  private final Random random;
  private final List<String> seeds;

  /** Cases from {@code random}, mutating {@code seeds}: valid definitions. */
  YamlFuzzCases(Random random, List<String> seeds) {
    this.random = random;
    this.seeds = List.copyOf(seeds);
  }

  /** Random bytes, random YAML-ish text or a random definition-shaped tree, in turn. */
  Case random(int index) {
    return switch (index % 3) {
      case 0 -> {
        byte[] bytes = new byte[random.nextInt(2_000)];
        random.nextBytes(bytes);
        yield Case.bytes("random bytes", bytes);
      }
      case 1 -> Case.text("random YAML-ish tokens", tokens(random.nextInt(300)));
      default -> Case.text("random tree", randomDefinition());
    };
  }

  /** A valid definition with one to four mutations. */
  Case mutated() {
    int seed = random.nextInt(seeds.size());
    String text = seeds.get(seed);
    List<String> applied = new ArrayList<>();
    byte[] bytes = null;
    int mutations = 1 + (random.nextInt(4) == 0 ? random.nextInt(4) : 0);
    for (int i = 0; i < mutations; i++) {
      int kind = random.nextInt(12);
      if (bytes == null && (kind == 1 || kind == 8)) {
        bytes = text.getBytes(StandardCharsets.UTF_8);
      }
      if (bytes != null && kind != 1 && kind != 8) {
        kind = random.nextBoolean() ? 1 : 8;
      }
      applied.add(MUTATIONS[kind]);
      switch (kind) {
        case 0 -> text = text.substring(0, random.nextInt(text.length() + 1));
        case 1 -> flipBytes(bytes);
        case 2 -> text = duplicateLine(text);
        case 3 -> text = replaceValue(text, SCALARS[random.nextInt(SCALARS.length)]);
        case 4 -> text = replaceValue(text, deepNesting(1 + random.nextInt(3_000)));
        case 5 -> text = aliasBomb(text);
        case 6 -> text = replaceValue(text, digits(1 + random.nextInt(5_000)));
        case 7 -> text = replaceValue(text, longString());
        case 8 -> bytes = invalidUtf8(bytes);
        case 9 -> text = spliceLines(text);
        case 10 -> text = insert(text, tokens(1 + random.nextInt(5)));
        default -> text = replaceValue(text, tree(2));
      }
    }
    String what = "seed " + seed + " with " + String.join(", ", applied);
    return bytes == null ? Case.text(what, text) : Case.bytes(what, bytes);
  }

  private String tokens(int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      switch (random.nextInt(4)) {
        case 0 -> text.append(KEYS[random.nextInt(KEYS.length)]);
        case 1 -> text.append(SCALARS[random.nextInt(SCALARS.length)]);
        default -> text.append(TOKENS[random.nextInt(TOKENS.length)]);
      }
    }
    return text.toString();
  }

  /** A name, a version and tasks with an id, a type and random keys and values. */
  private String randomDefinition() {
    StringBuilder text = new StringBuilder("name: x\nversion: 1\ntasks:\n");
    int tasks = 1 + random.nextInt(4);
    for (int i = 0; i < tasks; i++) {
      text.append("  - {id: t").append(i).append(", type: noop");
      int entries = random.nextInt(5);
      for (int j = 0; j < entries; j++) {
        text.append(", ").append(KEYS[random.nextInt(KEYS.length)]).append(": ").append(tree(1));
      }
      text.append("}\n");
    }
    return random.nextBoolean() ? text.toString() : text + "params: " + tree(1) + "\n";
  }

  /** A flow-style tree with keys of the format and values of any type. */
  private String tree(int depth) {
    int shape = depth > 6 ? 2 : random.nextInt(4);
    StringBuilder text = new StringBuilder();
    if (shape == 0) {
      text.append('{');
      int entries = random.nextInt(6);
      for (int i = 0; i < entries; i++) {
        text.append(i == 0 ? "" : ", ").append(KEYS[random.nextInt(KEYS.length)]).append(": ");
        text.append(tree(depth + 1));
      }
      return text.append('}').toString();
    }
    if (shape == 1) {
      text.append('[');
      int items = random.nextInt(5);
      for (int i = 0; i < items; i++) {
        text.append(i == 0 ? "" : ", ").append(tree(depth + 1));
      }
      return text.append(']').toString();
    }
    String scalar = SCALARS[random.nextInt(SCALARS.length)];
    return scalar.startsWith("!") || scalar.startsWith("${") ? "\"" + scalar + "\"" : scalar;
  }

  private void flipBytes(byte[] bytes) {
    int flips = 1 + random.nextInt(8);
    for (int i = 0; i < flips && bytes.length > 0; i++) {
      bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
    }
  }

  private byte[] invalidUtf8(byte[] bytes) {
    byte[][] bad = {
      {(byte) 0xFF},
      {(byte) 0xC3, 0x28},
      {(byte) 0x80},
      {(byte) 0xC0, (byte) 0xAF},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {(byte) 0xE2, (byte) 0x82}
    };
    byte[] insert = bad[random.nextInt(bad.length)];
    int at = random.nextInt(bytes.length + 1);
    byte[] out = Arrays.copyOf(bytes, bytes.length + insert.length);
    System.arraycopy(bytes, at, out, at + insert.length, bytes.length - at);
    System.arraycopy(insert, 0, out, at, insert.length);
    return out;
  }

  private String duplicateLine(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    int at = random.nextInt(lines.size());
    lines.add(at + random.nextInt(3), lines.get(at));
    return String.join("\n", lines);
  }

  private String spliceLines(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    int a = random.nextInt(lines.size());
    int b = random.nextInt(lines.size());
    switch (random.nextInt(3)) {
      case 0 -> lines.remove(a);
      case 1 -> lines.set(a, lines.get(b));
      default -> {
        String swap = lines.get(a);
        lines.set(a, lines.get(b));
        lines.set(b, swap);
      }
    }
    return String.join("\n", lines);
  }

  /** Replaces what follows a random {@code key:} with {@code value}. */
  private String replaceValue(String text, String value) {
    List<Integer> colons = new ArrayList<>();
    for (int i = text.indexOf(": "); i >= 0; i = text.indexOf(": ", i + 1)) {
      colons.add(i);
    }
    if (colons.isEmpty()) {
      return insert(text, value);
    }
    int at = colons.get(random.nextInt(colons.size())) + 2;
    int end = text.indexOf('\n', at);
    return text.substring(0, at) + value + (end < 0 ? "" : text.substring(end));
  }

  private String insert(String text, String value) {
    int at = random.nextInt(text.length() + 1);
    return text.substring(0, at) + value + text.substring(at);
  }

  private String deepNesting(int depth) {
    return switch (random.nextInt(3)) {
      case 0 -> "[".repeat(depth) + "1" + "]".repeat(depth);
      case 1 -> "{a: ".repeat(depth) + "1" + "}".repeat(depth);
      default -> "\"" + "(".repeat(depth) + "true" + ")".repeat(depth) + "\"";
    };
  }

  /** Billion laughs: each level lists the one before ten times, by alias. */
  private String aliasBomb(String text) {
    StringBuilder bomb = new StringBuilder("lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol]\n");
    int levels = 2 + random.nextInt(9);
    for (int i = 1; i <= levels; i++) {
      bomb.append("lol").append(i).append(": &l").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        bomb.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
      }
      bomb.append("]\n");
    }
    return random.nextBoolean()
        ? bomb + text
        : replaceValue(text, "{" + bomb.toString().replace("\n", ", ") + "}");
  }

  private String digits(int count) {
    StringBuilder number = new StringBuilder(random.nextBoolean() ? "-" : "");
    number.append(1 + random.nextInt(9));
    for (int i = 1; i < count; i++) {
      number.append(random.nextInt(10));
    }
    return switch (random.nextInt(3)) {
      case 0 -> number.toString();
      case 1 -> number + ".5";
      default -> "1e" + number;
    };
  }

  /** Up to 2 MiB: past the document limit half of the time. */
  private String longString() {
    int length = random.nextBoolean() ? random.nextInt(200_000) : random.nextInt(2 << 20);
    String body = String.valueOf((char) ('a' + random.nextInt(26))).repeat(length);
    return random.nextBoolean() ? body : "\"" + body + "\"";
  }
}
