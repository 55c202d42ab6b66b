package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.weft.core.http.HttpServerSecurity;
import io.weft.core.http.Scope;
import io.weft.core.http.TokenStore;
import io.weft.embedded.LocalPki;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft token}, and a client command against a query API over HTTPS with tokens. */
class CliSecurityTest {

  @TempDir Path dir;

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** The token and the token file's line that {@code weft token} printed. */
  private record Printed(String token, String line) {
    static Printed of(Cli.Result result) {
      String[] lines = result.out().strip().split("\n");
      return new Printed(
          lines[0].substring("token:".length()).strip(),
          lines[1].substring("file line:".length()).strip());
    }
  }

  @Test
  void shouldPrintANewTokenAndTheHashedLineThatLetsItIn() throws Exception {
    // when
    Cli.Result result = Cli.run("token", "ci", "--scopes", "write,read");
    Cli.Result another = Cli.run("token", "ci");

    // then
    assertThat(result.exitCode()).as(result.err()).isEqualTo(Weft.OK);
    Printed printed = Printed.of(result);
    assertThat(printed.token()).matches("[A-Za-z0-9_-]{43}");
    assertThat(printed.line()).matches("ci read,write sha256:[0-9a-f]{64}");
    assertThat(printed.line()).doesNotContain(printed.token());
    Path file = dir.resolve("tokens");
    Files.writeString(file, printed.line() + "\n");
    assertThat(TokenStore.open(file).find(printed.token()))
        .hasValueSatisfying(
            token -> assertThat(token.scopes()).containsExactlyInAnyOrder(Scope.READ, Scope.WRITE));
    assertThat(Printed.of(another).token()).isNotEqualTo(printed.token());
    assertThat(Printed.of(another).line()).startsWith("ci read sha256:");
  }

  @Test
  void shouldRefuseABadNameOrScopeWithExit2() {
    // when
    Cli.Result name = Cli.run("token", "not a name!");
    Cli.Result scope = Cli.run("token", "ci", "--scopes", "admin");

    // then
    assertThat(name.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(name.err()).contains("the name (first field) must be");
    assertThat(scope.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(scope.err()).contains("unknown scope 'admin'; scopes are read and write");
  }

  @Test
  void shouldQueryOverHttpsWithTheTokenFileAndSayWhenRefused() throws Exception {
    // given: a query API over HTTPS that knows no run and asks for a reader's token
    LocalPki pki = LocalPki.create(dir.resolve("pki"));
    Printed reader = Printed.of(Cli.run("token", "reader"));
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, reader.line() + "\n");
    String url = serve(pki, tokens);
    Path tokenFile = dir.resolve("reader.token");
    Files.writeString(tokenFile, reader.token() + "\n");
    Path config = dir.resolve("client.properties");
    Files.writeString(
        config,
        "weft.http.tls.truststore.location="
            + pki.trustStore()
            + "\nweft.http.tls.truststore.password="
            + pki.password()
            + "\n");

    // when
    Cli.Result withToken = status(config, url, "--query-token-file", tokenFile.toString());
    Cli.Result without = status(config, url);

    // then: the API answered (404: run unknown) with the token, refused without
    assertThat(withToken.err()).contains("run run-1 not found");
    assertThat(withToken.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(without.err())
        .contains("refused the request (401, no valid token)")
        .contains("WEFT_QUERY_TOKEN or --query-token-file");
    assertThat(withToken.err() + without.err()).doesNotContain(reader.token());
  }

  private static Cli.Result status(Path config, String url, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "status",
                "run-1",
                "--config",
                config.toString(),
                "--bootstrap-servers",
                "127.0.0.1:9",
                "--schema-registry-url",
                "mock://cli-security",
                "--query-url",
                url));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  private String serve(LocalPki pki, Path tokens) throws Exception {
    HttpServerSecurity security =
        HttpServerSecurity.of(pki.sslContext("coordinator"), TokenStore.open(tokens));
    server = security.bind(new InetSocketAddress("127.0.0.1", 0));
    HttpContext runs =
        server.createContext(
            "/runs/",
            exchange -> {
              exchange.sendResponseHeaders(404, -1);
              exchange.close();
            });
    security
        .auth((method, path) -> Optional.of(Scope.READ))
        .ifPresent(auth -> runs.getFilters().add(auth.filter(reason -> {})));
    server.start();
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }
}
