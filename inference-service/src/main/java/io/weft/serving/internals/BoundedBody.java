package io.weft.serving.internals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body of at most {@code limit} bytes. A body that announces a larger {@code
 * Content-Length} is refused before any of it is read; one without a length (chunked) is refused as
 * soon as it passes the limit.
 */
public final class BoundedBody {

  /**
   * Status of a body over the limit: 400, as for every request the service refuses (the Open
   * Inference Protocol answers invalid requests with 400 and an error message).
   */
  public static final int TOO_LARGE = 400;

  private BoundedBody() {}

  /**
   * @param contentLength the announced length, or -1 if none
   * @throws HttpProblem (400) if the body is over {@code limit}
   */
  public static byte[] read(InputStream in, long contentLength, int limit) throws IOException {
    if (contentLength > limit) {
      throw tooLarge(contentLength + " bytes", limit);
    }
    ByteArrayOutputStream body =
        new ByteArrayOutputStream(contentLength >= 0 ? (int) contentLength : 8192);
    byte[] buffer = new byte[8192];
    int read;
    while ((read = in.read(buffer)) != -1) {
      if (body.size() + read > limit) {
        throw tooLarge("more than " + limit + " bytes", limit);
      }
      body.write(buffer, 0, read);
    }
    return body.toByteArray();
  }

  private static HttpProblem tooLarge(String size, int limit) {
    return new HttpProblem(
        TOO_LARGE,
        "request body of "
            + size
            + " is over serve.max.request.bytes ("
            + limit
            + " bytes); send smaller batches");
  }
}
