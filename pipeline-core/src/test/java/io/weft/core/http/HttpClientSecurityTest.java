package io.weft.core.http;

import static io.weft.core.http.HttpServerSecurityTest.clientConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.common.WeftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token a client of the query API sends. */
class HttpClientSecurityTest {

  @TempDir Path dir;

  @Test
  void shouldSendNoTokenByDefault() {
    // when
    HttpClientSecurity security = HttpClientSecurity.from(clientConfig(Map.of()));

    // then
    assertThat(security.authorization()).isEmpty();
  }

  @Test
  void shouldSendTheTokenItIsGiven() {
    // when
    HttpClientSecurity security =
        HttpClientSecurity.from(
            clientConfig(Map.of(HttpSettings.QUERY_TOKEN_CONFIG, "the-token-0123456789")));

    // then
    assertThat(security.authorization()).contains("Bearer the-token-0123456789");
  }

  @Test
  void shouldRefuseToSendATokenInClearToAnotherHost() {
    // given
    HttpClientSecurity withToken =
        HttpClientSecurity.from(
            clientConfig(Map.of(HttpSettings.QUERY_TOKEN_CONFIG, "the-token-0123456789")));
    HttpClientSecurity without = HttpClientSecurity.from(clientConfig(Map.of()));

    // then
    assertThatThrownBy(
            () -> withToken.requireSafeFor(List.of("http://coordinator:8090"), "weft.query.url"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("weft.query.url has http://coordinator:8090")
        .hasMessageNotContaining("the-token");
    withToken.requireSafeFor(
        List.of("https://coordinator:8090", "http://127.0.0.1:8090", "http://localhost:1"),
        "weft.query.url");
    without.requireSafeFor(List.of("http://coordinator:8090"), "weft.query.url");
  }

  @Test
  void shouldReadTheTokenFileOnEveryRequest() throws Exception {
    // given
    Path file = dir.resolve("token");
    Files.writeString(file, "first-token-0123456789\n");
    HttpClientSecurity security =
        HttpClientSecurity.from(
            clientConfig(Map.of(HttpSettings.QUERY_TOKEN_FILE_CONFIG, file.toString())));
    String before = security.authorization().orElseThrow();

    // when: the token is rotated
    Files.writeString(file, "second-token-0123456789\n");

    // then
    assertThat(before).isEqualTo("Bearer first-token-0123456789");
    assertThat(security.authorization()).contains("Bearer second-token-0123456789");
  }

  @Test
  void shouldRefuseTwoTokensAndNameAnUnreadableFileButNoToken() throws Exception {
    // given
    Path empty = dir.resolve("empty");
    Files.writeString(empty, "\n");
    HttpClientSecurity emptyFile =
        HttpClientSecurity.from(
            clientConfig(Map.of(HttpSettings.QUERY_TOKEN_FILE_CONFIG, empty.toString())));
    HttpClientSecurity missingFile =
        HttpClientSecurity.from(
            clientConfig(
                Map.of(HttpSettings.QUERY_TOKEN_FILE_CONFIG, dir.resolve("none").toString())));

    // when / then
    assertThatThrownBy(
            () ->
                HttpClientSecurity.from(
                    clientConfig(
                        Map.of(
                            HttpSettings.QUERY_TOKEN_CONFIG,
                            "secret-token-0123456789",
                            HttpSettings.QUERY_TOKEN_FILE_CONFIG,
                            empty.toString()))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Set one of weft.query.token and weft.query.token.file, not both");
    assertThatThrownBy(emptyFile::authorization)
        .isInstanceOf(WeftException.class)
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("is empty");
    assertThatThrownBy(missingFile::authorization)
        .isInstanceOf(WeftException.class)
        .hasMessageContaining("NoSuchFileException");
  }
}
