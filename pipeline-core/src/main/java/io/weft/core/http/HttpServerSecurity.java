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
  private final TokenStore tokens;

  private HttpServerSecurity(SSLContext tls, TokenStore tokens) {
    this.tls = tls;
    this.tokens = tokens;
  }

  /** Plain HTTP, no authentication. */
  public static HttpServerSecurity none() {
    return NONE;
  }

  /** TLS with {@code tls} unless null, bearer tokens of {@code tokens} unless null. */
  public static HttpServerSecurity of(SSLContext tls, TokenStore tokens) {
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
    String tokenFile = config.getString(AUTH_TOKENS_FILE_CONFIG);
    TokenStore tokens = tokenFile == null ? null : TokenStore.open(Path.of(tokenFile));
    if (tokens != null && tls == null) {
      log.warn(
          "{} is set but {} is not: this HTTP server asks for bearer tokens over plain HTTP, where"
              + " anyone on the network path can read them; fine on loopback only",
          AUTH_TOKENS_FILE_CONFIG,
          TLS_KEYSTORE_LOCATION_CONFIG);
    }
    return new HttpServerSecurity(tls, tokens);
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
