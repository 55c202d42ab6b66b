package io.weft.core.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Bearer-token authentication of one HTTP server (RFC 6750): a request that its {@link AccessRule}
 * says needs a scope must carry {@code Authorization: Bearer <token>} with a token that its {@link
 * TokenVerifier} (the token file, an OIDC issuer, or both) accepts and that holds that scope.
 * Without a valid token it is refused with 401 and {@code WWW-Authenticate: Bearer realm="weft"};
 * with a valid token that lacks the scope, with 403 and {@code error="insufficient_scope"}. Neither
 * the token nor anything derived from it is ever logged or answered; only the token's name is
 * named.
 */
public final class BearerAuth {

  /** The realm of every challenge. */
  public static final String REALM = "weft";

  /** The exchange attribute that holds the {@link Token} a request authenticated as. */
  public static final String TOKEN_ATTRIBUTE = "io.weft.http.token";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEME = "bearer ";

  private final TokenVerifier tokens;
  private final AccessRule rule;

  public BearerAuth(TokenVerifier tokens, AccessRule rule) {
    this.tokens = tokens;
    this.rule = rule;
  }

  /**
   * Decides on a request.
   *
   * @param authorization the values of its {@code Authorization} header; null or empty if none
   */
  public Verdict check(String method, String path, List<String> authorization) {
    Optional<Scope> needed = rule.required(method, path);
    if (needed.isEmpty()) {
      return Verdict.allowed(null);
    }
    Scope scope = needed.get();
    if (authorization == null || authorization.isEmpty()) {
      return Verdict.unauthenticated(
          method
              + " "
              + path
              + " needs a bearer token with the "
              + scope.tag()
              + " scope (Authorization: Bearer <token>)",
          "Bearer realm=\"" + REALM + "\"");
    }
    String invalid = "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"";
    if (authorization.size() > 1) {
      return Verdict.unauthenticated("send one Authorization header, not several", invalid);
    }
    String header = authorization.get(0).strip();
    if (header.length() <= SCHEME.length()
        || !header.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return Verdict.unauthenticated("the Authorization header is not 'Bearer <token>'", invalid);
    }
    Optional<Token> token = tokens.find(header.substring(SCHEME.length()).strip());
    if (token.isEmpty()) {
      return Verdict.unauthenticated("the bearer token is not valid", invalid);
    }
    if (!token.get().allows(scope)) {
      return Verdict.forbidden(
          "token '"
              + token.get().name()
              + "' does not hold the "
              + scope.tag()
              + " scope that "
              + method
              + " "
              + path
              + " needs",
          "Bearer realm=\""
              + REALM
              + "\", error=\"insufficient_scope\", scope=\""
              + scope.tag()
              + "\"");
    }
    return Verdict.allowed(token.get());
  }

  /**
   * A filter of the JDK's HTTP server that lets allowed requests through (with the token as the
   * exchange's {@link #TOKEN_ATTRIBUTE}) and answers the others, calling {@code refused} with the
   * reason ({@code unauthenticated}, {@code forbidden}) before it answers.
   */
  public Filter filter(Consumer<String> refused) {
    return new Filter() {
      @Override
      public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        Verdict verdict =
            check(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().get("Authorization"));
        if (verdict.isAllowed()) {
          if (verdict.token() != null) {
            exchange.setAttribute(TOKEN_ATTRIBUTE, verdict.token());
          }
          chain.doFilter(exchange);
          return;
        }
        refused.accept(verdict.reason());
        try (exchange) {
          respond(exchange, verdict);
        }
      }

      @Override
      public String description() {
        return "Weft's bearer-token authentication";
      }
    };
  }

  /** Answers a refused request: its status, the challenge and {@code {"error": "..."}}. */
  public static void respond(HttpExchange exchange, Verdict verdict) throws IOException {
    byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("error", verdict.message()));
    exchange.getResponseHeaders().set("WWW-Authenticate", verdict.challenge());
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(verdict.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
