package io.weft.serving.internals;

import io.weft.ml.api.Tensor;
import java.util.List;
import java.util.Set;

/**
 * A checked inference request.
 *
 * @param id the request's id, echoed in the response; null if it had none
 * @param inputs one tensor per model input, in the model's order, named as the model names them
 * @param rows the size of the batch dimension of the inputs (1 for a model that takes no batch)
 * @param outputs the outputs to answer, in the model's order; all of them unless the request named
 *     some in {@code outputs}
 * @param binaryOutputs the outputs to answer as raw bytes after the JSON (the binary tensor
 *     extension): all with {@code parameters.binary_data_output}, or those whose {@code outputs}
 *     entry says {@code binary_data}
 */
public record InferRequest(
    String id, List<Tensor> inputs, int rows, List<String> outputs, Set<String> binaryOutputs) {

  public InferRequest {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    binaryOutputs = Set.copyOf(binaryOutputs);
  }

  /** The first input's elements, for a model of one FP32 input. */
  public float[] features() {
    return inputs.get(0).toFloats();
  }
}
