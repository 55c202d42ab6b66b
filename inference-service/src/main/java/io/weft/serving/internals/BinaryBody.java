package io.weft.serving.internals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A request body of the v2 binary tensor extension: a JSON header of {@code
 * Inference-Header-Content-Length} bytes, then the inputs' raw data one after another, in the order
 * of the inputs that declare {@code parameters.binary_data_size}. Without that header, the whole
 * body is JSON and there is no binary section.
 */
public record BinaryBody(byte[] json, ByteBuffer binary) {

  /** The request header that says where the JSON ends. */
  public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  public BinaryBody {
    binary = binary.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A body that is JSON only. */
  public static BinaryBody json(byte[] body) {
    return new BinaryBody(body, ByteBuffer.allocate(0));
  }

  /**
   * Splits {@code body} where {@code headerLength} ({@value #HEADER_LENGTH}, or null if the request
   * has none) says.
   *
   * @throws HttpProblem 400 if the value is not a whole number within the body
   */
  public static BinaryBody split(byte[] body, String headerLength) {
    if (headerLength == null) {
      return json(body);
    }
    long length;
    try {
      length = Long.parseLong(headerLength.trim());
    } catch (NumberFormatException e) {
      throw HttpProblem.badRequest(
          HEADER_LENGTH
              + " must be a whole number of bytes, got '"
              + abbreviate(headerLength)
              + "'");
    }
    if (length < 0 || length > body.length) {
      throw HttpProblem.badRequest(
          HEADER_LENGTH
              + " is "
              + length
              + ", but the body has "
              + body.length
              + " bytes; it must be the length of the JSON at the body's start");
    }
    int json = (int) length;
    return new BinaryBody(
        Arrays.copyOf(body, json), ByteBuffer.wrap(body, json, body.length - json).slice());
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }
}
