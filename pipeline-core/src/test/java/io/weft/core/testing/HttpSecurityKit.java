package io.weft.core.testing;

import io.weft.core.http.HttpServerSecurity;
import io.weft.core.http.TokenStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * Tokens and requests for tests of secured HTTP servers: a token file with a reader, a writer and a
 * token of both scopes, and requests that send a token or none. Shared with the other modules'
 * tests through pipeline-core's test jar.
 */
public final class HttpSecurityKit {

  /** A token with the read scope, written hashed in the file. */
  public static final String READER = "reader-Zx9Qm2Lp7Vt4Kc8Wb";

  /** A token with the write scope only, written as itself. */
  public static final String WRITER = "writer-Hd3Rf6Yn1Sg5Ja0Ue";

  /** A token with both scopes. */
  public static final String BOTH = "both-Ko2Ti8Ew4Bq6Xm9Pz";

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private HttpSecurityKit() {}

  /** Writes the token file of {@link #READER}, {@link #WRITER} and {@link #BOTH} in {@code dir}. */
  public static Path tokenFile(Path dir) {
    Path file = dir.resolve("tokens");
    try {
      Files.writeString(
          file,
          "# test tokens\n"
              + ("reader read " + sha256(READER) + "\n")
              + ("writer write " + WRITER + "\n")
              + ("both read,write " + BOTH + "\n"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Plain HTTP with the tokens of {@link #tokenFile}. */
  public static HttpServerSecurity tokens(Path dir) {
    return HttpServerSecurity.of(null, TokenStore.open(tokenFile(dir)));
  }

  /** {@code sha256:<hex>} of {@code token}, as a token file may hold it. */
  public static String sha256(String token) {
    try {
      return "sha256:"
          + HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An HTTP/1.1 client. */
  public static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(TIMEOUT)
        .build();
  }

  /**
   * {@code method} of {@code uri} with {@code token} (none if null) and {@code headers}; a POST
   * sends an empty body.
   */
  public static HttpResponse<String> send(
      HttpClient http, String method, URI uri, String token, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .method(
                method,
                method.equals("GET")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(""));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code method} of {@code uri} with {@code token}, none if null. */
  public static HttpResponse<String> send(HttpClient http, String method, URI uri, String token)
      throws IOException, InterruptedException {
    return send(http, method, uri, token, Map.of());
  }
}
