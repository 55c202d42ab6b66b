package io.weft.ml.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a registered model version takes and answers, readable from its properties without loading
 * it: a classifier Weft trained has the one input and two outputs of {@link ClassifierServable}; a
 * model file registered from elsewhere carries its signature in the properties {@value #FORMAT},
 * {@value #INPUTS} and {@value #OUTPUTS}.
 *
 * <p>A signature's text form is a list of tensors separated by {@code ;}, each {@code
 * name:DATATYPE:shape} with the shape's sizes separated by {@code ,} and {@code -1} for any size,
 * e.g. {@code x:FP32:-1,4;mask:BOOL:-1}.
 */
public record ModelSignature(String platform, List<TensorSpec> inputs, List<TensorSpec> outputs) {

  /** The property naming a model file's format; absent for a classifier Weft trained. */
  public static final String FORMAT = "format";

  public static final String INPUTS = "inputs";
  public static final String OUTPUTS = "outputs";

  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one input and one output");
    }
  }

  /** The signature {@code servable} declares. */
  public static ModelSignature of(Servable servable) {
    return new ModelSignature(servable.platform(), servable.inputs(), servable.outputs());
  }

  /**
   * The signature of a registered version.
   *
   * @throws IllegalArgumentException naming the missing or malformed property
   */
  public static ModelSignature fromProperties(Map<String, String> properties) {
    String format = properties.get(FORMAT);
    if (format == null) {
      ModelSpec spec = ModelSpec.fromProperties(properties);
      return new ModelSignature(
          ClassifierServable.PLATFORM,
          List.of(
              new TensorSpec(
                  ClassifierServable.INPUT, TensorType.FP32, new long[] {-1, spec.width()})),
          List.of(
              new TensorSpec(
                  ClassifierServable.LOGITS, TensorType.FP32, new long[] {-1, spec.classes()}),
              new TensorSpec(ClassifierServable.LABEL, TensorType.INT64, new long[] {-1})));
    }
    return new ModelSignature(
        ModelFormat.parse(format).platform(),
        parse(require(properties, INPUTS), INPUTS),
        parse(require(properties, OUTPUTS), OUTPUTS));
  }

  /** The properties of a model file of {@code format} with this signature. */
  public Map<String, String> toProperties(ModelFormat format) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(FORMAT, format.id());
    properties.put(INPUTS, format(inputs));
    properties.put(OUTPUTS, format(outputs));
    return properties;
  }

  /** Tensors in the text form, e.g. {@code x:FP32:-1,4;mask:BOOL:-1}. */
  public static String format(List<TensorSpec> tensors) {
    return tensors.stream()
        .map(
            t ->
                t.name()
                    + ":"
                    + t.type()
                    + ":"
                    + Arrays.stream(t.shape())
                        .mapToObj(Long::toString)
                        .collect(Collectors.joining(",")))
        .collect(Collectors.joining(";"));
  }

  /**
   * Reads tensors in the text form.
   *
   * @param what where the text comes from, named in errors
   * @throws IllegalArgumentException naming {@code what} and the entry that does not parse
   */
  public static List<TensorSpec> parse(String text, String what) {
    List<TensorSpec> tensors = new ArrayList<>();
    for (String entry : text.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] parts = entry.trim().split(":", -1);
      if (parts.length != 3) {
        throw new IllegalArgumentException(
            what + ": '" + entry.trim() + "' is not name:DATATYPE:shape, e.g. x:FP32:-1,4");
      }
      try {
        long[] shape =
            parts[2].isBlank()
                ? new long[0]
                : Arrays.stream(parts[2].split(","))
                    .mapToLong(s -> Long.parseLong(s.trim()))
                    .toArray();
        TensorSpec spec = new TensorSpec(parts[0].trim(), TensorType.parse(parts[1].trim()), shape);
        if (tensors.stream().anyMatch(t -> t.name().equals(spec.name()))) {
          throw new IllegalArgumentException("tensor '" + spec.name() + "' is named twice");
        }
        tensors.add(spec);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(what + ": '" + entry.trim() + "': " + e.getMessage(), e);
      }
    }
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException(what + " names no tensor");
    }
    return tensors;
  }

  private static String require(Map<String, String> properties, String name) {
    String value = properties.get(name);
    if (value == null) {
      throw new IllegalArgumentException("model property '" + name + "' is missing");
    }
    return value;
  }
}
