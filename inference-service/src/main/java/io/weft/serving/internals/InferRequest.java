package io.weft.serving.internals;

/**
 * A checked inference request: one FP32 input of {@code rows} rows.
 *
 * @param id the request's id, echoed in the response; null if it had none
 * @param inputName the input's name as sent
 * @param rows how many rows (examples)
 * @param features {@code rows x width} values, row after row
 */
public record InferRequest(String id, String inputName, int rows, float[] features) {}
