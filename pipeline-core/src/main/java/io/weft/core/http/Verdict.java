package io.weft.core.http;

/**
 * What {@link BearerAuth} decided about a request: let it through (as {@link #token()}, or as
 * nobody where no token is needed), or refuse it with 401 ({@code unauthenticated}) or 403 ({@code
 * forbidden}), a message for the JSON body and the {@code WWW-Authenticate} challenge.
 *
 * @param status 0 when allowed, else 401 or 403
 * @param reason the {@code reason} the refusal is counted under, or null when allowed
 * @param token who the request authenticated as; null when refused or when no token was needed
 */
public record Verdict(int status, String reason, String message, String challenge, Token token) {

  public static final String UNAUTHENTICATED = "unauthenticated";
  public static final String FORBIDDEN = "forbidden";

  static Verdict allowed(Token token) {
    return new Verdict(0, null, null, null, token);
  }

  static Verdict unauthenticated(String message, String challenge) {
    return new Verdict(401, UNAUTHENTICATED, message, challenge, null);
  }

  static Verdict forbidden(String message, String challenge) {
    return new Verdict(403, FORBIDDEN, message, challenge, null);
  }

  public boolean isAllowed() {
    return status == 0;
  }
}
