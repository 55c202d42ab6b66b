package io.weft.embedded;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The smallest OpenID Connect provider Apicurio Registry accepts, on loopback, so that the embedded
 * registry can check HTTP basic credentials without Keycloak. Apicurio 2.x checks a request's
 * {@code Authorization: Basic} header by asking an OIDC token endpoint for a token with the
 * credentials as a client id and secret ({@code client_credentials} grant), then verifies the token
 * against the provider's keys ({@code registry.auth.basic-auth-client-credentials.enabled}).
 *
 * <p>This provider knows one user (client id) and its password; it serves the discovery document,
 * its RSA key as a JWK set, and a token endpoint that answers the right credentials with an RS256
 * token valid for ten minutes and anything else with 401. It speaks plain HTTP: only the registry
 * process on the same host calls it. Nothing here is meant for production.
 */
final class LocalOidcProvider implements AutoCloseable {

  private static final String KEY_ID = "weft-local";
  private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(10);
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final HttpServer server;
  private final ExecutorService executor;
  private final KeyPair keys;
  private final String user;
  private final byte[] password;
  private final String issuer;

  private LocalOidcProvider(
      HttpServer server, ExecutorService executor, KeyPair keys, String user, String password) {
    this.server = server;
    this.executor = executor;
    this.keys = keys;
    this.user = user;
    this.password = password.getBytes(StandardCharsets.UTF_8);
    this.issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/weft";
  }

  /** Starts the provider on a free loopback port, knowing {@code user} with {@code password}. */
  static LocalOidcProvider start(String user, String password) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ExecutorService executor =
          Executors.newFixedThreadPool(
              2,
              task -> {
                Thread thread = new Thread(task, "weft-local-oidc");
                thread.setDaemon(true);
                return thread;
              });
      LocalOidcProvider provider =
          new LocalOidcProvider(server, executor, generator.generateKeyPair(), user, password);
      server.createContext("/realms/weft", provider::handle);
      server.setExecutor(executor);
      server.start();
      return provider;
    } catch (IOException | GeneralSecurityException e) {
      throw new EmbeddedException("Cannot start the registry's local OIDC provider", e);
    }
  }

  /** The issuer URL, which is also the base of discovery ({@code quarkus.oidc.auth-server-url}). */
  String issuer() {
    return issuer;
  }

  /** The token endpoint ({@code registry.auth.token.endpoint}). */
  String tokenEndpoint() {
    return issuer + "/protocol/openid-connect/token";
  }

  private String jwksUri() {
    return issuer + "/protocol/openid-connect/certs";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      // Apicurio's HTTP client appends a slash to the token endpoint
      String path = exchange.getRequestURI().getPath().replaceAll("/+$", "");
      if (path.endsWith("/.well-known/openid-configuration")) {
        respond(exchange, 200, discovery());
      } else if (path.equals("/realms/weft/protocol/openid-connect/certs")) {
        respond(exchange, 200, jwks());
      } else if (path.equals("/realms/weft/protocol/openid-connect/token")
          && exchange.getRequestMethod().equals("POST")) {
        token(exchange);
      } else {
        respond(exchange, 404, "{\"error\":\"not_found\"}");
      }
    }
  }

  private void token(HttpExchange exchange) throws IOException {
    Map<String, String> form;
    try (InputStream in = exchange.getRequestBody()) {
      form = form(new String(in.readNBytes(16_384), StandardCharsets.UTF_8));
    }
    if (!"client_credentials".equals(form.get("grant_type"))) {
      respond(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
      return;
    }
    String clientId = form.getOrDefault("client_id", "");
    byte[] secret = form.getOrDefault("client_secret", "").getBytes(StandardCharsets.UTF_8);
    // compare both in constant time, so that the answer's timing tells nothing
    boolean known = MessageDigest.isEqual(clientId.getBytes(StandardCharsets.UTF_8), bytes(user));
    if (!(MessageDigest.isEqual(secret, password) & known)) {
      respond(exchange, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    respond(
        exchange,
        200,
        "{\"access_token\":\""
            + signedToken(clientId)
            + "\",\"token_type\":\"Bearer\",\"expires_in\":"
            + TOKEN_LIFETIME.toSeconds()
            + "}");
  }

  private String signedToken(String subject) {
    Instant now = Instant.now();
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + KEY_ID + "\"}";
    String claims =
        "{\"iss\":\""
            + issuer
            + "\",\"sub\":\""
            + subject
            + "\",\"preferred_username\":\""
            + subject
            + "\",\"azp\":\""
            + subject
            + "\",\"jti\":\""
            + UUID.randomUUID()
            + "\",\"iat\":"
            + now.getEpochSecond()
            + ",\"exp\":"
            + now.plus(TOKEN_LIFETIME).getEpochSecond()
            + "}";
    String signingInput = base64url(bytes(header)) + "." + base64url(bytes(claims));
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(keys.getPrivate());
      signature.update(bytes(signingInput));
      return signingInput + "." + base64url(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new EmbeddedException("Cannot sign a token", e);
    }
  }

  private String discovery() {
    return "{\"issuer\":\""
        + issuer
        + "\",\"token_endpoint\":\""
        + tokenEndpoint()
        + "\",\"jwks_uri\":\""
        + jwksUri()
        + "\",\"grant_types_supported\":[\"client_credentials\"],"
        + "\"response_types_supported\":[\"token\"],"
        + "\"subject_types_supported\":[\"public\"],"
        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
  }

  private String jwks() {
    RSAPublicKey key = (RSAPublicKey) keys.getPublic();
    return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\""
        + KEY_ID
        + "\",\"n\":\""
        + base64url(unsigned(key.getModulus()))
        + "\",\"e\":\""
        + base64url(unsigned(key.getPublicExponent()))
        + "\"}]}";
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = bytes(json);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** A big-endian magnitude without the sign byte {@link BigInteger#toByteArray} may add. */
  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      byte[] trimmed = new byte[bytes.length - 1];
      System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
      return trimmed;
    }
    return bytes;
  }

  private static String base64url(byte[] bytes) {
    return BASE64URL.encodeToString(bytes);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
