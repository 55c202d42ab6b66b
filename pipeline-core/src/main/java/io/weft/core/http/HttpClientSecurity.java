package io.weft.core.http;

import static io.weft.core.http.HttpSettings.QUERY_TOKEN_CONFIG;
import static io.weft.core.http.HttpSettings.QUERY_TOKEN_FILE_CONFIG;
import static io.weft.core.http.HttpSettings.TLS_TRUSTSTORE_LOCATION_CONFIG;
import static io.weft.core.http.HttpSettings.TLS_TRUSTSTORE_PASSWORD_CONFIG;
import static io.weft.core.http.HttpSettings.TLS_TRUSTSTORE_TYPE_CONFIG;

import io.weft.common.WeftException;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * How a client calls Weft's query API: which certificates it trusts for HTTPS (the JDK's unless a
 * trust store is set) and which bearer token it sends, if any ({@link HttpSettings#defineClient}).
 */
public final class HttpClientSecurity {

  private static final HttpClientSecurity NONE = new HttpClientSecurity(null, null, null);

  private final SSLContext trust;
  private final Password token;
  private final Path tokenFile;

  private HttpClientSecurity(SSLContext trust, Password token, Path tokenFile) {
    this.trust = trust;
    this.token = token;
    this.tokenFile = tokenFile;
  }

  /** The JDK's trusted authorities, no token. */
  public static HttpClientSecurity none() {
    return NONE;
  }

  /**
   * The trust {@code config}'s {@link HttpSettings#defineTrust trust settings} ask for, and its
   * token if it defines the {@link HttpSettings#defineClient client settings}.
   *
   * @throws ConfigException naming a setting that cannot be used
   */
  public static HttpClientSecurity from(AbstractConfig config) {
    String trustStore = config.getString(TLS_TRUSTSTORE_LOCATION_CONFIG);
    SSLContext trust =
        trustStore == null
            ? null
            : HttpTls.client(
                Path.of(trustStore),
                config.getString(TLS_TRUSTSTORE_TYPE_CONFIG).toUpperCase(Locale.ROOT),
                config.getPassword(TLS_TRUSTSTORE_PASSWORD_CONFIG),
                TLS_TRUSTSTORE_LOCATION_CONFIG);
    if (!config.values().containsKey(QUERY_TOKEN_CONFIG)) {
      return new HttpClientSecurity(trust, null, null);
    }
    Password token = config.getPassword(QUERY_TOKEN_CONFIG);
    String file = config.getString(QUERY_TOKEN_FILE_CONFIG);
    if (token != null && file != null) {
      throw new ConfigException(
          "Set one of " + QUERY_TOKEN_CONFIG + " and " + QUERY_TOKEN_FILE_CONFIG + ", not both");
    }
    if (token != null && token.value().isBlank()) {
      throw new ConfigException(QUERY_TOKEN_CONFIG + " is blank");
    }
    return new HttpClientSecurity(trust, token, file == null ? null : Path.of(file));
  }

  /**
   * Refuses to send a token in clear over the network: a token set with a plain {@code http://} URL
   * whose host is not a loopback address.
   *
   * @param key the setting that names {@code urls}, for the message
   * @throws ConfigException naming the setting and the URL
   */
  public void requireSafeFor(List<String> urls, String key) {
    if (token == null && tokenFile == null) {
      return;
    }
    for (String url : urls) {
      URI uri;
      try {
        uri = URI.create(url.strip());
      } catch (IllegalArgumentException e) {
        continue; // the URL's own checks name it
      }
      if ("http".equalsIgnoreCase(uri.getScheme()) && !isLoopback(uri.getHost())) {
        throw new ConfigException(
            key
                + " has "
                + url
                + ", plain HTTP to another host: the query API's token would cross the network"
                + " in clear. Use https:// (the coordinator's weft.http.tls.keystore.*), or a"
                + " loopback address.");
      }
    }
  }

  private static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return bare.equalsIgnoreCase("localhost")
        || bare.startsWith("127.")
        || bare.equals("::1")
        || bare.equals("0:0:0:0:0:0:0:1");
  }

  /** {@code builder} set to trust what this trusts. */
  public HttpClient.Builder configure(HttpClient.Builder builder) {
    return trust == null ? builder : builder.sslContext(trust);
  }

  /**
   * The {@code Authorization} header's value to send, {@code Bearer <token>}, if a token is set; a
   * token file is read now.
   *
   * @throws WeftException if the token file cannot be read or is empty (naming the file only)
   */
  public Optional<String> authorization() {
    if (token != null) {
      return Optional.of("Bearer " + token.value().strip());
    }
    if (tokenFile == null) {
      return Optional.empty();
    }
    String line;
    try (BufferedReader in = Files.newBufferedReader(tokenFile, StandardCharsets.UTF_8)) {
      line = in.readLine();
    } catch (IOException e) {
      throw new WeftException(
          "Cannot read the query API token from "
              + tokenFile
              + " ("
              + QUERY_TOKEN_FILE_CONFIG
              + "): "
              + e.getClass().getSimpleName(),
          e);
    }
    if (line == null || line.isBlank()) {
      throw new WeftException(
          "The query API token file " + tokenFile + " (" + QUERY_TOKEN_FILE_CONFIG + ") is empty");
    }
    return Optional.of("Bearer " + line.strip());
  }
}
