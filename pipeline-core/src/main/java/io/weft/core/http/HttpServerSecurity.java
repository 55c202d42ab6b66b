package io.weft.core.http;

import static io.weft.core.http.HttpSettings.AUTH_TOKENS_FILE_CONFIG;
import static io.weft.core.http.HttpSettings.TLS_KEYSTORE_LOCATION_CONFIG;
import static io.weft.core.http.HttpSettings.TLS_KEYSTORE_PASSWORD_CONFIG;
import static io.weft.core.http.HttpSettings.TLS_KEYSTORE_TYPE_CONFIG;
import static io.weft.core.http.HttpSettings.TLS_KEY_PASSWORD_CONFIG;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one of Weft's HTTP servers is secured: TLS with a key store, bearer tokens from a file, both
 * or neither ({@link #none()}, the default: plain HTTP, open). Made from a component's {@link
 * HttpSettings}; the server binds through {@link #bind} and adds {@link #auth} with its own {@link
 * AccessRule}.
 */
public final class HttpServerSecurity {

  private static final Logger log = LoggerFactory.getLogger(HttpServerSecurity.class);

  private static final HttpServerSecurity NONE = new HttpServerSecurity(null, null);

  private final SSLContext tls;
  private final TokenVerifier tokens;

  private HttpServerSecurity(SSLContext tls, TokenVerifier tokens) {
    this.tls = tls;
    this.tokens = tokens;
  }

  /** Plain HTTP, no authentication. */
  public static HttpServerSecurity none() {
    return NONE;
  }

  /** TLS with {@code tls} unless null, bearer tokens of {@code tokens} unless null. */
  public static HttpServerSecurity of(SSLContext tls, TokenVerifier tokens) {
    return new HttpServerSecurity(tls, tokens);
  }

  /**
   * The security {@code config}'s {@link HttpSettings#defineServer server settings} ask for: reads
   * the key store and the token file now.
   *
   * @throws ConfigException naming the setting of a key store that cannot be used
   * @throws TokenFileException naming every problem of the token file
   */
  public static HttpServerSecurity from(AbstractConfig config) {
    String keyStore = config.getString(TLS_KEYSTORE_LOCATION_CONFIG);
    Password storePassword = config.getPassword(TLS_KEYSTORE_PASSWORD_CONFIG);
    Password keyPassword = config.getPassword(TLS_KEY_PASSWORD_CONFIG);
    SSLContext tls = null;
    if (keyStore == null) {
      requireUnset(TLS_KEYSTORE_PASSWORD_CONFIG, storePassword);
      requireUnset(TLS_KEY_PASSWORD_CONFIG, keyPassword);
    } else {
      if (storePassword == null) {
        throw new ConfigException(
            "Missing "
                + TLS_KEYSTORE_PASSWORD_CONFIG
                + ": the key store "
                + TLS_KEYSTORE_LOCATION_CONFIG
                + " names needs its password");
      }
      tls =
          HttpTls.server(
              Path.of(keyStore),
              config.getString(TLS_KEYSTORE_TYPE_CONFIG).toUpperCase(Locale.ROOT),
              storePassword,
              keyPassword,
              TLS_KEYSTORE_LOCATION_CONFIG);
    }
    TokenVerifier tokens = verifier(config);
    if (tokens != null && tls == null) {
      log.warn(
          "Bearer tokens are asked for but {} is not set: this HTTP server takes them over plain"
              + " HTTP, where anyone on the network path can read them; fine on loopback only",
          TLS_KEYSTORE_LOCATION_CONFIG);
    }
    return new HttpServerSecurity(tls, tokens);
  }

  /** The token file's tokens and the OIDC issuer's, as set; null if neither is. */
  private static TokenVerifier verifier(AbstractConfig config) {
    List<TokenVerifier> verifiers = new ArrayList<>();
    String tokenFile = config.getString(AUTH_TOKENS_FILE_CONFIG);
    if (tokenFile != null) {
      verifiers.add(TokenStore.open(Path.of(tokenFile)));
    }
    String issuer = config.getString(HttpSettings.OIDC_ISSUER_CONFIG);
    if (issuer != null) {
      verifiers.add(
          OidcTokens.of(
              issuer,
              config.getString(HttpSettings.OIDC_JWKS_URL_CONFIG),
              config.getString(HttpSettings.OIDC_AUDIENCE_CONFIG),
              config.getString(HttpSettings.OIDC_READ_SCOPE_CONFIG),
              config.getString(HttpSettings.OIDC_WRITE_SCOPE_CONFIG)));
    }
    return verifiers.isEmpty() ? null : TokenVerifier.anyOf(verifiers);
  }

  private static void requireUnset(String key, Password value) {
    if (value != null) {
      throw new ConfigException(
          key + " is set, but " + TLS_KEYSTORE_LOCATION_CONFIG + " is not: set both, or neither");
    }
  }

  /**
   * A server on {@code address}: HTTPS if TLS is on, else plain HTTP; not started.
   *
   * @throws IOException if the address cannot be bound
   */
  public HttpServer bind(InetSocketAddress address) throws IOException {
    if (tls == null) {
      return HttpServer.create(address, 0);
    }
    HttpsServer server = HttpsServer.create(address, 0);
    server.setHttpsConfigurator(HttpTls.configurator(tls));
    return server;
  }

  /**
   * The TLS context of the key store, for a server that does not bind through {@link #bind} (the
   * inference service's HTTP and gRPC endpoints); empty for plain HTTP. Speak only {@link
   * #tlsProtocols()} with it, and ask for no client certificate, as {@link #bind} does.
   */
  public Optional<SSLContext> sslContext() {
    return Optional.ofNullable(tls);
  }

  /** The TLS protocol versions Weft's HTTP servers speak, newest first. */
  public static List<String> tlsProtocols() {
    return List.of(HttpTls.PROTOCOLS);
  }

  /** {@code https} with TLS, else {@code http}. */
  public String scheme() {
    return tls == null ? "http" : "https";
  }

  public boolean isTls() {
    return tls != null;
  }

  /** The authentication of a server whose endpoints need what {@code rule} says; empty if off. */
  public Optional<BearerAuth> auth(AccessRule rule) {
    return tokens == null ? Optional.empty() : Optional.of(new BearerAuth(tokens, rule));
  }
}
