package io.weft.serving.internals;

import java.util.Locale;

/**
 * Why the server refused a request: each with the status it is answered with, and counted in {@code
 * weft.inference.refused} under its {@link #tag() reason}.
 */
public enum Refusal {
  /** Anything else malformed: not JSON, a wrong shape or datatype, a wrong number of values. */
  BAD_REQUEST(400),
  /** No valid bearer token where the server asks for one ({@code weft.http.auth.tokens.file}). */
  UNAUTHENTICATED(401),
  /** A valid bearer token without the scope the endpoint needs. */
  FORBIDDEN(403),
  /** No such endpoint, model or version. */
  NOT_FOUND(404),
  /** The endpoint answers another method. */
  METHOD_NOT_ALLOWED(405),
  /** A body over {@code serve.max.request.bytes}. */
  BODY_TOO_LARGE(413),
  /** An input over {@code serve.max.batch} rows, or more values than a body can hold. */
  TENSOR_TOO_LARGE(413),
  /** A request target (path and query) over {@link HeadLimits#MAX_TARGET_LENGTH}. */
  URI_TOO_LONG(414),
  /** More header lines than {@link HeadLimits#MAX_HEADERS}. */
  TOO_MANY_HEADERS(431),
  /** Header names and values over {@link HeadLimits#MAX_HEADER_BYTES} in all. */
  HEADERS_TOO_LARGE(431);

  private final int status;

  Refusal(int status) {
    this.status = status;
  }

  /** The HTTP status the refusal is answered with. */
  public int status() {
    return status;
  }

  /** The {@code reason} tag: the name in lower case, e.g. {@code body_too_large}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
