package io.weft.serving.internals;

/** A request the server answers with a client error: the status and a message saying why. */
public final class HttpProblem extends RuntimeException {

  private final int status;

  public HttpProblem(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public static HttpProblem badRequest(String message) {
    return new HttpProblem(400, message);
  }

  public static HttpProblem notFound(String message) {
    return new HttpProblem(404, message);
  }

  public int status() {
    return status;
  }
}
