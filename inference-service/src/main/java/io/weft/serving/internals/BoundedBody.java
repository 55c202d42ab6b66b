package io.weft.serving.internals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * A request body read as it arrives, at most {@code limit} bytes. A body that announces a larger
 * {@code Content-Length} is refused before any of it is read ({@link #refuse}); one without a
 * length (chunked) is refused as soon as it passes the limit ({@link #add}). Either is answered 413
 * ({@link Refusal#BODY_TOO_LARGE}).
 */
public final class BoundedBody {

  private static final int FIRST_CHUNKED = 8192;

  /** The most allocated for a body before its bytes arrive; it grows as they do. */
  static final int FIRST_ALLOCATION = 64 * 1024;

  private final int limit;

  /** The length the head announced, or -1: the most the body grows to while it holds to it. */
  private final long announced;

  private byte[] bytes;
  private int size;

  /**
   * @param contentLength the announced length, at most {@code limit}, or -1 if none
   */
  public BoundedBody(long contentLength, int limit) {
    if (contentLength > limit) {
      throw new IllegalArgumentException(
          "a body of " + contentLength + " bytes is refused, not read; see refuse()");
    }
    this.limit = limit;
    this.announced = contentLength;
    // what a client announces is not allocated up front: a head alone must not pin memory
    this.bytes =
        new byte
            [(int) Math.min(contentLength >= 0 ? contentLength : FIRST_CHUNKED, FIRST_ALLOCATION)];
  }

  /**
   * The refusal of a body that announces {@code contentLength} bytes (-1 if none), if that is over
   * {@code limit}.
   */
  public static Optional<HttpProblem> refuse(long contentLength, int limit) {
    return contentLength > limit
        ? Optional.of(tooLarge(contentLength + " bytes", limit))
        : Optional.empty();
  }

  /**
   * Appends the rest of {@code chunk}.
   *
   * @throws HttpProblem (413) if the body passes the limit with it
   */
  public void add(ByteBuffer chunk) {
    int length = chunk.remaining();
    if (length > limit - size) {
      throw tooLarge("more than " + limit + " bytes", limit);
    }
    if (size + length > bytes.length) {
      long grown = Math.max(2L * bytes.length, size + length);
      if (announced >= size + length) {
        grown = Math.min(grown, announced); // no larger than the body, which is then not copied
      }
      bytes = Arrays.copyOf(bytes, (int) Math.min(limit, grown));
    }
    chunk.get(bytes, size, length);
    size += length;
  }

  /** The bytes allocated for the body so far. */
  int capacity() {
    return bytes.length;
  }

  /** The body read so far. */
  public byte[] bytes() {
    return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
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
