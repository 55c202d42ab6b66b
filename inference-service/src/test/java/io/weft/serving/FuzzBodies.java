package io.weft.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Request bodies for {@link FuzzRequests}: random bytes, random JSON, and a valid infer request
 * mutated byte by byte (truncated, bits flipped, bytes inserted, deleted, repeated) or part by part
 * (negative shapes, shape and data that disagree, huge shape products, wrong types, deep nesting,
 * very long strings, NaN, Infinity and numbers out of range, other datatypes, missing fields).
 */
final class FuzzBodies {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] KEYS = {
    "id", "inputs", "outputs", "name", "shape", "datatype", "data", "parameters"
  };
  private static final String[] NUMBERS = {
    "NaN",
    "-NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e400",
    "1e-400",
    "3.4028236e38",
    "9223372036854775808",
    "-9223372036854775809",
    "2147483648",
    "1" + "0".repeat(999),
    "1" + "0".repeat(1500),
    "0x10",
    "01",
    "-0",
    "1.",
    ".5",
    "1e",
    "--1",
    "+1"
  };
  private static final String[] DATATYPES = {
    "fp32", "FP64", "FP16", "INT32", "BYTES", "BOOL", "", " FP32", "FP32\u0000"
  };
  private final Random random;
  private final int maxBody;

  FuzzBodies(Random random, int maxBody) {
    this.random = random;
    this.maxBody = maxBody;
  }

  byte[] randomBytes() {
    byte[] bytes = new byte[size()];
    random.nextBytes(bytes);
    return bytes;
  }

  /** A body size: mostly small, sometimes around or over the server's limit. */
  private int size() {
    return switch (random.nextInt(6)) {
      case 0 -> 0;
      case 1, 2 -> random.nextInt(64);
      case 3 -> random.nextInt(4096);
      case 4 -> random.nextInt(maxBody);
      default -> maxBody - 16 + random.nextInt(maxBody);
    };
  }

  /** {@code valid} truncated, with bits flipped, bytes inserted, deleted or repeated. */
  byte[] mutatedBytes(String valid) {
    byte[] bytes = utf8(valid);
    int rounds = 1 + random.nextInt(4);
    for (int r = 0; r < rounds; r++) {
      int at = random.nextInt(bytes.length + 1);
      switch (random.nextInt(6)) {
        case 0 -> bytes = Arrays.copyOf(bytes, at);
        case 1 -> {
          if (at < bytes.length) {
            bytes[at] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 2 -> {
          if (at < bytes.length) {
            bytes[at] = (byte) random.nextInt(256);
          }
        }
        case 3 -> {
          byte[] inserted = new byte[1 + random.nextInt(16)];
          random.nextBytes(inserted);
          bytes = splice(bytes, at, 0, inserted);
        }
        case 4 -> bytes = splice(bytes, at, random.nextInt(bytes.length - at + 1), new byte[0]);
        default -> {
          int length = random.nextInt(bytes.length - at + 1);
          byte[] range = Arrays.copyOfRange(bytes, at, at + length);
          int times = 1 + random.nextInt(1000);
          times = (int) Math.min(times, 1 + 2L * maxBody / Math.max(1, range.length));
          byte[] repeated = new byte[range.length * times];
          for (int i = 0; i < times; i++) {
            System.arraycopy(range, 0, repeated, i * range.length, range.length);
          }
          bytes = splice(bytes, at, 0, repeated);
        }
      }
    }
    // at most twice the limit: the server reads that much of a body it refused, to answer
    return bytes.length > 2 * maxBody ? Arrays.copyOf(bytes, 2 * maxBody) : bytes;
  }

  private static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
    byte[] out = new byte[bytes.length - removed + inserted.length];
    System.arraycopy(bytes, 0, out, 0, at);
    System.arraycopy(inserted, 0, out, at, inserted.length);
    System.arraycopy(bytes, at + removed, out, at + inserted.length, bytes.length - at - removed);
    return out;
  }

  /** {@code valid} with one part made wrong (some wrongs only as text: JSON cannot hold them). */
  byte[] mutatedRequest(String valid) {
    return utf8(mutate((ObjectNode) parse(valid)));
  }

  private String mutate(ObjectNode root) {
    ObjectNode input = (ObjectNode) root.get("inputs").get(0);
    switch (random.nextInt(13)) {
      case 0 -> input.set("shape", shape(-1 - random.nextInt(1000), 4));
      case 1 -> input.set("shape", shape(2, -4));
      case 2 -> input.set("shape", shape(random.nextInt(6), 4));
      case 3 -> input.set("data", values(random.nextInt(200_000)));
      case 4 -> input.set("shape", hugeShape());
      case 5 -> {
        String field = pick(new String[] {"id", "inputs", "name", "shape", "datatype", "data"});
        (field.equals("id") || field.equals("inputs") ? root : input).set(field, wrongType());
      }
      case 6 -> {
        int depth = pick(new int[] {10, 100, 499, 500, 501, 1000, 5000});
        return json(root)
            .replace(
                "[[1,2,3,4],[5,6,7,8]]", "[".repeat(depth) + "1,2,3,4,5,6,7,8" + "]".repeat(depth));
      }
      case 7 -> {
        String longText = "x".repeat(random.nextInt(2 * maxBody));
        (random.nextBoolean() ? root : input)
            .put(pick(new String[] {"id", "name", "datatype"}), longText);
      }
      case 8 -> {
        return json(root).replace("[5,6,7,8]", "[5," + pick(NUMBERS) + ",7,8]");
      }
      case 9 -> {
        return json(root).replace("[2,4]", "[" + pick(NUMBERS) + ",4]");
      }
      case 10 -> input.put("datatype", pick(DATATYPES));
      case 11 -> {
        if (random.nextBoolean()) {
          (random.nextBoolean() ? root : input).remove(pick(KEYS));
        } else {
          ((ArrayNode) root.get("inputs")).add(input.deepCopy());
        }
      }
      default -> {
        return deepText(pick(new int[] {100, 499, 501, 1000, 10_000, 100_000}));
      }
    }
    return json(root);
  }

  private static ArrayNode shape(long... sizes) {
    ArrayNode shape = NODES.arrayNode();
    for (long size : sizes) {
      shape.add(size);
    }
    return shape;
  }

  /** A shape whose product is far over any batch limit, or over a long. */
  private ArrayNode hugeShape() {
    return switch (random.nextInt(6)) {
      case 0 -> shape(1_000_000, 4);
      case 1 -> shape(Integer.MAX_VALUE + 1L, 4);
      case 2 -> shape(Long.MAX_VALUE, 4);
      case 3 -> shape(1 << 20, 1 << 20, 4);
      case 4 -> shape(4_611_686_018_427_387_904L, 4_611_686_018_427_387_904L);
      default -> NODES.arrayNode().add(BigInteger.TEN.pow(30)).add(4);
    };
  }

  private ArrayNode values(int count) {
    ArrayNode data = NODES.arrayNode();
    for (int i = 0; i < count; i++) {
      data.add(random.nextInt(100));
    }
    return data;
  }

  /**
   * Arrays or objects nested {@code depth} deep, as text (deeper than a JSON tree can be built).
   */
  private String deepText(int depth) {
    boolean arrays = random.nextBoolean();
    String open = arrays ? "[" : "{\"inputs\":";
    String close = arrays ? "]" : "}";
    return open.repeat(depth) + "1" + close.repeat(depth);
  }

  private JsonNode wrongType() {
    return switch (random.nextInt(9)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextLong());
      case 3 -> NODES.numberNode(random.nextGaussian() * 1e300);
      case 4 -> NODES.textNode(randomText(random.nextInt(32)));
      case 5 -> NODES.objectNode();
      case 6 -> NODES.arrayNode();
      case 7 -> NODES.arrayNode().add("2").add("4");
      default -> NODES.objectNode().put("shape", "[2,4]");
    };
  }

  /** Any JSON, though mostly an object with inputs, as infer requests are. */
  byte[] randomJson() {
    return utf8(json(randomRoot()));
  }

  private JsonNode randomRoot() {
    if (random.nextBoolean()) {
      return randomJson(5);
    }
    ObjectNode root = NODES.objectNode();
    ArrayNode inputs = root.putArray("inputs");
    for (int i = random.nextInt(3); i > 0; i--) {
      ObjectNode input = inputs.addObject();
      for (int k = random.nextInt(6); k > 0; k--) {
        input.set(pick(KEYS), randomJson(3));
      }
    }
    return root;
  }

  private JsonNode randomJson(int depth) {
    return switch (random.nextInt(depth <= 0 ? 6 : 8)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextInt());
      case 3 -> NODES.numberNode(random.nextGaussian() * Math.pow(10, random.nextInt(40)));
      case 4 -> NODES.numberNode(new BigInteger(1 + random.nextInt(400), random));
      case 5 -> NODES.textNode(randomText(random.nextInt(64)));
      case 6 -> {
        ArrayNode array = NODES.arrayNode();
        for (int i = random.nextInt(9); i > 0; i--) {
          array.add(randomJson(depth - 1));
        }
        yield array;
      }
      default -> {
        ObjectNode object = NODES.objectNode();
        for (int i = random.nextInt(9); i > 0; i--) {
          object.set(random.nextBoolean() ? pick(KEYS) : randomText(8), randomJson(depth - 1));
        }
        yield object;
      }
    };
  }

  private String randomText(int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(
          switch (random.nextInt(4)) {
            case 0 -> (char) random.nextInt(32);
            case 1 -> (char) random.nextInt(0x10000);
            default -> (char) (32 + random.nextInt(95));
          });
    }
    return text.toString();
  }

  private String pick(String[] choices) {
    return choices[random.nextInt(choices.length)];
  }

  private int pick(int[] choices) {
    return choices[random.nextInt(choices.length)];
  }

  private static JsonNode parse(String text) {
    try {
      return ServingFixture.JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String json(JsonNode node) {
    try {
      return ServingFixture.JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
