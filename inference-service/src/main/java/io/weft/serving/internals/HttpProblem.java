package io.weft.serving.internals;

/**
 * A request the server answers with an error: the status and a message saying why. A client's
 * mistake is a {@link Refusal} (4xx); the server's own inability to answer now is {@link
 * #unavailable} (503).
 */
public final class HttpProblem extends RuntimeException {

  private final int status;
  private final Refusal refusal;

  public HttpProblem(Refusal refusal, String message) {
    this(refusal.status(), refusal, message);
  }

  private HttpProblem(int status, Refusal refusal, String message) {
    super(message, null, false, false);
    this.status = status;
    this.refusal = refusal;
  }

  public static HttpProblem badRequest(String message) {
    return new HttpProblem(Refusal.BAD_REQUEST, message);
  }

  public static HttpProblem notFound(String message) {
    return new HttpProblem(Refusal.NOT_FOUND, message);
  }

  /** 503: the server cannot answer now (a model not loaded yet, shutting down). */
  public static HttpProblem unavailable(String message) {
    return new HttpProblem(503, null, message);
  }

  public int status() {
    return status;
  }

  /** Why the request was refused; null for a 503. */
  public Refusal refusal() {
    return refusal;
  }
}
