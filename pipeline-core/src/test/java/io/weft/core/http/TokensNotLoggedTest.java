package io.weft.core.http;

import static io.weft.core.testing.HttpSecurityKit.BOTH;
import static io.weft.core.testing.HttpSecurityKit.READER;
import static io.weft.core.testing.HttpSecurityKit.WRITER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.core.internals.query.RunQueryServer;
import io.weft.core.testing.HttpSecurityKit;
import io.weft.core.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever a secured server logs, at any level, while it accepts and refuses requests and reads its
 * token file again, holds no token, nor the hash of one.
 */
class TokensNotLoggedTest {

  private static final String UNKNOWN = "unknown-Qw7Er5Ty3Ui1Op9As";

  @TempDir Path dir;

  private final LogCapture log = new LogCapture();
  private final HttpClient http = HttpSecurityKit.client();

  @BeforeEach
  void capture() {
    log.start();
  }

  @AfterEach
  void stopCapturing() {
    log.stop();
  }

  @Test
  void shouldLogNoTokenOfARefusedOrAnAcceptedRequestNorOfItsFile() throws Exception {
    // given
    Path file = HttpSecurityKit.tokenFile(dir);
    try (RunQueryServer server =
        RunQueryServer.bind(
            "127.0.0.1",
            0,
            HttpServerSecurity.of(null, TokenStore.open(file)),
            HttpClientSecurity.none())) {
      URI runs = URI.create(server.url() + "/runs");

      // when: refused (no token, unknown, malformed, without the scope) and accepted requests
      List<Integer> statuses =
          List.of(
              send(runs, Map.of()),
              send(runs, Map.of("Authorization", "Bearer " + UNKNOWN)),
              send(runs, Map.of("Authorization", "Basic " + READER)),
              send(runs, Map.of("Authorization", "Bearer " + WRITER)),
              send(runs, Map.of("Authorization", "Bearer " + READER)),
              send(runs, Map.of("Authorization", "Bearer " + BOTH)));
      // and an invalid version of the file with a token where its name belongs, then a valid one
      replace(file, READER + " admin " + WRITER + "\n");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  send(runs, Map.of("Authorization", "Bearer " + READER)) == 503
                      && log.text().contains("keeping the 3 token(s) read before"));
      replace(file, "rotated read " + UNKNOWN + "\n");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> send(runs, Map.of("Authorization", "Bearer " + UNKNOWN)) == 503);

      // then
      assertThat(statuses).containsExactly(401, 401, 401, 403, 503, 503);
      assertThat(log.text())
          .contains("Read 3 token(s) from " + file)
          .contains("Token file " + file + " changed: 1 token(s) now");
      for (String token : List.of(READER, WRITER, BOTH, UNKNOWN)) {
        assertThat(log.text())
            .doesNotContain(token)
            .doesNotContain(HttpSecurityKit.sha256(token).substring("sha256:".length()));
      }
    }
  }

  private int send(URI uri, Map<String, String> headers) throws Exception {
    return HttpSecurityKit.send(http, "GET", uri, null, headers).statusCode();
  }

  private void replace(Path file, String content) throws Exception {
    Path next = dir.resolve("next");
    Files.writeString(next, content);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
