package io.weft.serving.internals;

import io.weft.ml.api.ModelSignature;
import io.weft.ml.api.Servable;
import io.weft.ml.api.Tensor;
import io.weft.ml.api.TensorSpec;
import java.util.List;

/**
 * A model of any signature that answers each input as the output at the same position, renamed: a
 * test of how tensors of every datatype travel through a request and back.
 */
public final class EchoModel implements Servable {

  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;

  /** Inputs and outputs in {@link ModelSignature}'s text form; output {@code i} echoes input i. */
  public EchoModel(String inputs, String outputs) {
    this.inputs = ModelSignature.parse(inputs, "inputs");
    this.outputs = ModelSignature.parse(outputs, "outputs");
  }

  @Override
  public String platform() {
    return "echo";
  }

  @Override
  public List<TensorSpec> inputs() {
    return inputs;
  }

  @Override
  public List<TensorSpec> outputs() {
    return outputs;
  }

  @Override
  public List<Tensor> infer(List<Tensor> in) {
    return java.util.stream.IntStream.range(0, outputs.size())
        .mapToObj(i -> in.get(i).named(outputs.get(i).name()))
        .toList();
  }

  @Override
  public void close() {}
}
