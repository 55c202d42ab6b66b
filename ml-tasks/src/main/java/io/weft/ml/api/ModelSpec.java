package io.weft.ml.api;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The architecture of a classifier: enough to rebuild its block before loading saved parameters.
 * Both architectures take a batch of flat FP32 rows {@code [n, width]} and answer one logit per
 * class {@code [n, classes]}; the CNN reshapes each row into a square one-channel image first.
 *
 * <p>Stored with a model version as string properties ({@link #toProperties()}), so a server can
 * load any registered version.
 *
 * @param architecture {@code mlp} or {@code cnn}
 * @param hidden units of each hidden dense layer (the MLP's layers; the CNN's dense head)
 * @param width features per example, e.g. 784
 * @param classes number of classes, e.g. 10
 */
public record ModelSpec(String architecture, int[] hidden, int width, int classes) {

  public static final String MLP = "mlp";
  public static final String CNN = "cnn";

  public ModelSpec {
    if (!MLP.equals(architecture) && !CNN.equals(architecture)) {
      throw new IllegalArgumentException(
          "architecture '" + architecture + "' is not one of " + MLP + ", " + CNN);
    }
    if (width <= 0 || classes < 2) {
      throw new IllegalArgumentException(
          "width must be positive and classes at least 2, got " + width + " and " + classes);
    }
    if (CNN.equals(architecture) && imageSide(width) < 12) {
      throw new IllegalArgumentException(
          "architecture cnn needs square images of at least 12x12, got width " + width);
    }
    for (int units : hidden) {
      if (units <= 0) {
        throw new IllegalArgumentException("hidden layer sizes must be positive: " + units);
      }
    }
    hidden = hidden.clone();
  }

  @Override
  public int[] hidden() {
    return hidden.clone();
  }

  /** The expected input shape, {@code [-1, width]}. */
  public long[] inputShape() {
    return new long[] {-1, width};
  }

  /** A fresh, uninitialised block of this architecture. */
  public Block block() {
    return MLP.equals(architecture) ? mlp() : cnn();
  }

  /** The spec as string properties (architecture, hidden, width, classes). */
  public Map<String, String> toProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("architecture", architecture);
    properties.put(
        "hidden",
        Arrays.stream(hidden).mapToObj(Integer::toString).collect(Collectors.joining(",")));
    properties.put("width", Integer.toString(width));
    properties.put("classes", Integer.toString(classes));
    return properties;
  }

  /**
   * Reads a spec from {@link #toProperties()}.
   *
   * @throws IllegalArgumentException naming the missing or malformed property
   */
  public static ModelSpec fromProperties(Map<String, String> properties) {
    String hidden = require(properties, "hidden");
    int[] units =
        hidden.isBlank()
            ? new int[0]
            : Arrays.stream(hidden.split(","))
                .map(String::trim)
                .mapToInt(s -> number("hidden", s))
                .toArray();
    return new ModelSpec(
        require(properties, "architecture"),
        units,
        number("width", require(properties, "width")),
        number("classes", require(properties, "classes")));
  }

  private static String require(Map<String, String> properties, String name) {
    String value = properties.get(name);
    if (value == null) {
      throw new IllegalArgumentException("model property '" + name + "' is missing");
    }
    return value;
  }

  private static int number(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "model property '" + name + "': '" + value + "' is not a whole number", e);
    }
  }

  private static int imageSide(int width) {
    int side = (int) Math.round(Math.sqrt(width));
    return side * side == width ? side : -1;
  }

  private Block mlp() {
    SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock(width));
    for (int units : hidden) {
      block.add(Linear.builder().setUnits(units).build()).add(Activation::relu);
    }
    return block.add(Linear.builder().setUnits(classes).build());
  }

  /** LeNet-like: two 5x5 convolutions with max pooling, then the dense head. */
  private Block cnn() {
    int side = imageSide(width);
    SequentialBlock block =
        new SequentialBlock()
            .add(
                new LambdaBlock(
                    list -> new NDList(list.singletonOrThrow().reshape(-1, 1, side, side)),
                    "image"))
            .add(
                Conv2d.builder()
                    .setKernelShape(new Shape(5, 5))
                    .optPadding(new Shape(2, 2))
                    .setFilters(6)
                    .build())
            .add(Activation::relu)
            .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
            .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build())
            .add(Activation::relu)
            .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
            .add(Blocks.batchFlattenBlock());
    for (int units : hidden) {
      block.add(Linear.builder().setUnits(units).build()).add(Activation::relu);
    }
    return block.add(Linear.builder().setUnits(classes).build());
  }
}
