package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.core.api.WeftTopics;
import io.weft.core.http.HttpClientSecurity;
import io.weft.core.http.HttpServerSecurity;
import io.weft.core.http.Scope;
import io.weft.core.http.TokenFile;
import io.weft.core.http.TokenStore;
import io.weft.core.internals.query.RunQueryServer;
import io.weft.core.internals.ui.WebUi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The web UI in a real browser (Debian's headless Chromium) against a query API that asks for
 * tokens, with no broker: the coordinator is not running, so a request that gets past the tokens is
 * answered "the coordinator is starting". What is tested is the page's part: it asks for a token on
 * the first 401, sends it with every request and with its event stream, shows a 403, and forgets
 * the token when told to.
 */
class WebUiTokenTest {

  private static final String READER = "reader-Zx9Qm2Lp7Vt4Kc8Wb";
  private static final String WRITER = "writer-Hd3Rf6Yn1Sg5Ja0Ue";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private RunQueryServer server;
  private WebUi ui;
  private Browser browser;

  @BeforeEach
  void start() throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(
        tokens,
        TokenFile.hashedLine("reader", Set.of(Scope.READ), READER)
            + "\n"
            + TokenFile.hashedLine("writer", Set.of(Scope.WRITE), WRITER)
            + "\n");
    server =
        RunQueryServer.bind(
            "127.0.0.1",
            0,
            HttpServerSecurity.of(null, TokenStore.open(tokens)),
            HttpClientSecurity.none());
    ui =
        WebUi.create(
            Map.of("bootstrap.servers", "127.0.0.1:9", "schema.registry.url", "mock://ui-token"),
            new WeftTopics(WeftTopics.DEFAULT_PREFIX),
            Duration.ZERO);
    server.serveUi(ui);
    browser = Browser.start(dir.resolve("browser"), 1200, 800);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.close();
    }
    server.close();
    ui.close();
  }

  @Test
  void shouldAskForATokenAndSendItWithEveryRequestAndTheEventStream() {
    // given
    WebDriver page = browser.driver();

    // when: the page opens without a token
    page.get(server.url() + "/ui/");

    // then: it asks for one, having been refused
    await().atMost(WAIT).until(() -> !page.findElements(By.id("token-form")).isEmpty());
    assertThat(page.findElement(By.id("token-form")).getText())
        .contains("This Weft asks for a token.")
        .contains("needs a bearer token with the read scope");
    assertThat(page.findElement(By.id("forget-token")).isDisplayed()).isFalse();

    // when: a token without the read scope
    enter(page, WRITER);

    // then: the 403 is shown
    await()
        .atMost(WAIT)
        .until(() -> page.findElement(By.id("runs")).getText().contains("does not hold the read"));

    // when: a reader's token
    page.findElement(By.id("forget-token")).click();
    await().atMost(WAIT).until(() -> !page.findElements(By.id("token-form")).isEmpty());
    enter(page, READER);

    // then: its requests get past the tokens, and the event stream connects with it
    await()
        .atMost(WAIT)
        .until(
            () ->
                page.findElement(By.id("runs")).getText().contains("the coordinator is starting"));
    await().atMost(WAIT).until(() -> page.findElement(By.id("live")).getText().equals("live"));
    assertThat(page.findElements(By.id("token-form"))).isEmpty();
    assertThat(page.findElement(By.id("forget-token")).isDisplayed()).isTrue();
    assertThat(browser.console(Level.SEVERE))
        .allSatisfy(line -> assertThat(line).doesNotContain("TypeError", "ReferenceError"));
  }

  private static void enter(WebDriver page, String token) {
    page.findElement(By.id("token-input")).sendKeys(token);
    page.findElement(By.cssSelector("#token-form button")).click();
  }
}
