package io.weft.ml.internals.dl;

import io.weft.ml.api.ModelFileException;
import io.weft.ml.api.ModelFormat;
import io.weft.ml.api.ModelSignature;
import io.weft.ml.api.TensorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The signature a model file is served with: an ONNX model's own (read by {@link OnnxSignatures}),
 * which a declared one must match, or a TorchScript model's declared one, which only running it can
 * check. Every problem is collected and reported together.
 */
final class FileSignatures {

  private FileSignatures() {}

  /**
   * The signature of {@code file} given the declared inputs and outputs (either may be empty for
   * ONNX, to take the model's own).
   *
   * @throws ModelFileException naming {@code what} and every problem
   */
  static ModelSignature resolve(
      Path file,
      ModelFormat format,
      List<TensorSpec> inputs,
      List<TensorSpec> outputs,
      String what) {
    List<String> problems = new ArrayList<>();
    List<TensorSpec> in = inputs;
    List<TensorSpec> out = outputs;
    if (format == ModelFormat.ONNX) {
      ModelSignature own = OnnxSignatures.read(file, what);
      in = inputs.isEmpty() ? own.inputs() : match("input", inputs, own.inputs(), problems);
      out = outputs.isEmpty() ? own.outputs() : match("output", outputs, own.outputs(), problems);
    } else if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new ModelFileException(
          what
              + ": a "
              + format.id()
              + " model carries no typed signature; declare its inputs and outputs, each"
              + " name:DATATYPE:shape (e.g. x:FP32:-1,4)");
    }
    supported(format, "input", in, problems);
    supported(format, "output", out, problems);
    if (!problems.isEmpty()) {
      throw new ModelFileException(what + " cannot be served: " + String.join("; ", problems));
    }
    return new ModelSignature(format.platform(), in, out);
  }

  /** {@code declared}, after checking it names the model's tensors with their types and shapes. */
  static List<TensorSpec> match(
      String kind, List<TensorSpec> declared, List<TensorSpec> model, List<String> problems) {
    for (TensorSpec spec : declared) {
      Optional<TensorSpec> own = find(model, spec.name());
      if (own.isEmpty()) {
        problems.add(
            kind
                + " '"
                + spec.name()
                + "' is not one of the model's "
                + kind
                + "s: "
                + names(model));
      } else if (spec.type() != own.get().type() || !fits(spec.shape(), own.get().shape())) {
        problems.add(
            kind
                + " '"
                + spec.name()
                + "' is declared "
                + describe(spec)
                + ", the model's is "
                + describe(own.get()));
      }
    }
    for (TensorSpec spec : model) {
      if (find(declared, spec.name()).isEmpty()) {
        problems.add("the model's " + kind + " '" + spec.name() + "' is not declared");
      }
    }
    return declared;
  }

  /** Whether a declared shape is the model's or narrower: a size where the model has any. */
  static boolean fits(long[] declared, long[] model) {
    if (declared.length != model.length) {
      return false;
    }
    for (int i = 0; i < model.length; i++) {
      if (model[i] != -1 && model[i] != declared[i]) {
        return false;
      }
    }
    return true;
  }

  private static void supported(
      ModelFormat format, String kind, List<TensorSpec> specs, List<String> problems) {
    for (TensorSpec spec : specs) {
      if (!DjlTensors.SUPPORTED.contains(spec.type())) {
        problems.add(
            kind
                + " '"
                + spec.name()
                + "' is "
                + spec.type()
                + ", which DJL's "
                + format.engine()
                + " engine cannot take (it takes "
                + DjlTensors.supportedNames()
                + ")");
      }
    }
  }

  private static Optional<TensorSpec> find(List<TensorSpec> specs, String name) {
    return specs.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  private static String names(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::name).collect(Collectors.joining(", "));
  }

  private static String describe(TensorSpec spec) {
    return spec.type() + " " + Arrays.toString(spec.shape());
  }
}
