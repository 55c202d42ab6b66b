package io.weft.serving.internals;

import java.util.List;
import java.util.Map;

/**
 * Limits on what comes before a request's body, its target and its headers, checked before anything
 * else is done with the request: over them it is refused with 414 or 431 and a JSON error.
 *
 * <p>The server reads a head only so far, farther than these limits so that {@link #check} can say
 * by how much a request is over them: a request line over {@value #READ_MAX_LINE} bytes, header
 * lines over {@value #READ_MAX_HEAD} bytes or more than {@value #READ_MAX_HEADERS} of them are
 * refused ({@link #lineTooLong()}, {@link #headTooLarge()}, {@link #tooManyHeaders()}) as soon as
 * they pass that mark, without reading the rest, and the connection is closed.
 */
public final class HeadLimits {

  /** Longest request target, path and query, in characters as sent (URL-encoded). */
  public static final int MAX_TARGET_LENGTH = 8 * 1024;

  /** Most header lines; a name sent twice counts twice. */
  public static final int MAX_HEADERS = 100;

  /** Most characters of header names and values, all headers together. */
  public static final int MAX_HEADER_BYTES = 64 * 1024;

  /** Longest request line the server reads, in bytes. */
  public static final int READ_MAX_LINE = 8 * MAX_TARGET_LENGTH;

  /** Most bytes of header lines the server reads. */
  public static final int READ_MAX_HEAD = 6 * MAX_HEADER_BYTES;

  /** Most header lines the server reads. */
  public static final int READ_MAX_HEADERS = 10 * MAX_HEADERS;

  private HeadLimits() {}

  /**
   * @throws HttpProblem (414, 431) naming the limit {@code request} is over
   */
  static void check(ServingRequest request) {
    int target = request.target().length();
    if (target > MAX_TARGET_LENGTH) {
      throw new HttpProblem(
          Refusal.URI_TOO_LONG,
          "request target of "
              + target
              + " characters is over the "
              + MAX_TARGET_LENGTH
              + " this server accepts");
    }
    int lines = 0;
    long bytes = 0;
    for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
      for (String value : header.getValue()) {
        lines++;
        bytes += header.getKey().length() + (value == null ? 0 : value.length());
      }
    }
    if (lines > MAX_HEADERS) {
      throw tooMany(String.valueOf(lines));
    }
    if (bytes > MAX_HEADER_BYTES) {
      throw tooLarge(String.valueOf(bytes));
    }
  }

  /** A request line over {@value #READ_MAX_LINE} bytes, refused unread (414). */
  public static HttpProblem lineTooLong() {
    return new HttpProblem(
        Refusal.URI_TOO_LONG,
        "request line of more than "
            + READ_MAX_LINE
            + " bytes; request targets over "
            + MAX_TARGET_LENGTH
            + " characters are refused");
  }

  /** More than {@value #READ_MAX_HEADERS} header lines, refused unread (431). */
  public static HttpProblem tooManyHeaders() {
    return tooMany("more than " + READ_MAX_HEADERS);
  }

  /** Header lines over {@value #READ_MAX_HEAD} bytes, refused unread (431). */
  public static HttpProblem headTooLarge() {
    return tooLarge("more than " + READ_MAX_HEAD);
  }

  private static HttpProblem tooMany(String lines) {
    return new HttpProblem(
        Refusal.TOO_MANY_HEADERS,
        "request has "
            + lines
            + " header lines, more than the "
            + MAX_HEADERS
            + " this server accepts");
  }

  private static HttpProblem tooLarge(String size) {
    return new HttpProblem(
        Refusal.HEADERS_TOO_LARGE,
        "request headers of "
            + size
            + " characters are over the "
            + MAX_HEADER_BYTES
            + " this server accepts");
  }
}
