package io.weft.serving.internals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body of at most {@code limit} bytes. A body that announces a larger {@code
 * Content-Length} is refused before any of it is read; one without a length (chunked) is refused as
 * soon as it passes the limit. Either is answered 413 ({@link Refusal#BODY_TOO_LARGE}).
 */
public final class BoundedBody {

  private BoundedBody() {}

  /**
   * @param contentLength the announced length, or -1 if none
   * @throws HttpProblem (413) if the body is over {@code limit}
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

  /**
   * Whether {@code in} is at its end; if not, up to 8 KiB of it are read and dropped. Blocks until
   * the client sends more of a body it has not finished.
   */
  public static boolean atEnd(InputStream in) throws IOException {
    return in.read(new byte[8192]) == -1;
  }

  /**
   * Reads and drops what is left of a body, at most {@code max} bytes, once the answer is sent:
   * closing a connection with unread bytes resets it, and a client still sending would lose the
   * answer it was sent. A client that sends more than {@code max} may still see the reset.
   */
  public static void discard(InputStream in, long max) throws IOException {
    byte[] buffer = new byte[8192];
    long left = max;
    while (left > 0) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (read == -1) {
        return;
      }
      left -= read;
    }
  }

  private static HttpProblem tooLarge(String size, int limit) {
    return new HttpProblem(
        Refusal.BODY_TOO_LARGE,
        "request body of "
            + size
            + " is over serve.max.request.bytes ("
            + limit
            + " bytes); send smaller batches");
  }
}
