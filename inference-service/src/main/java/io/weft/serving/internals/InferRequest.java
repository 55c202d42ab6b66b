package io.weft.serving.internals;

import java.util.Set;

/**
 * A checked inference request: one FP32 input of {@code rows} rows.
 *
 * @param id the request's id, echoed in the response; null if it had none
 * @param inputName the input's name as sent
 * @param rows how many rows (examples)
 * @param features {@code rows x width} values, row after row
 * @param binaryOutputs the outputs to answer as raw bytes after the JSON (the binary tensor
 *     extension): all with {@code parameters.binary_data_output}, or those whose {@code outputs}
 *     entry says {@code binary_data}
 */
public record InferRequest(
    String id, String inputName, int rows, float[] features, Set<String> binaryOutputs) {

  public InferRequest {
    binaryOutputs = Set.copyOf(binaryOutputs);
  }

  /** A request answered all in JSON. */
  public InferRequest(String id, String inputName, int rows, float[] features) {
    this(id, inputName, rows, features, Set.of());
  }
}
