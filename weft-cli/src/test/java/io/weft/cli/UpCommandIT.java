package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code weft up} as a user runs it: a process of its own, stopped with SIGTERM (Ctrl-C). */
class UpCommandIT {

  private static final Duration START = Duration.ofMinutes(3);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path dir =
      Path.of(System.getProperty("weft.test.dir", "target/weft-test"), "up-" + UUID.randomUUID());
  private WeftProcess up;

  @AfterEach
  void stop() throws InterruptedException {
    up.close();
  }

  @Test
  void shouldPrintAddressesThatAnswerAndHowToConnectThenStopOnSigterm() throws Exception {
    // when
    up =
        WeftProcess.start(
            dir.resolve("up"), Map.of(), "up", "--work-dir", dir.resolve("data").toString());
    up.awaitOutput(Pattern.compile("^Press Ctrl-C to stop"), START);
    String bootstrap = up.awaitOutput(Pattern.compile("^bootstrap servers: +(\\S+)$"), START);
    String registry = up.awaitOutput(Pattern.compile("^schema registry URL: +(\\S+)$"), START);
    String query = up.awaitOutput(Pattern.compile("^HTTP API URL: +(\\S+)"), START);
    String ui = up.awaitOutput(Pattern.compile("^Web UI: +(\\S+)$"), START);

    // then: the broker answers, with the coordinator's topics on it
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
          .contains("weft.commands", "weft.events", "weft.results");
    }
    // the registry's Confluent API and the query API answer
    assertThat(get(registry + "/subjects").statusCode()).isEqualTo(200);
    HttpResponse<String> health = get(query + "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("RUNNING");
    assertThat(ui).isEqualTo(query + "/ui/");
    HttpResponse<String> page = get(ui);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>Weft</title>");

    // and the printed export lines are enough for another weft command
    Map<String, String> env =
        Map.of(
            "WEFT_BOOTSTRAP_SERVERS", exported("WEFT_BOOTSTRAP_SERVERS"),
            "WEFT_SCHEMA_REGISTRY_URL", exported("WEFT_SCHEMA_REGISTRY_URL"),
            "WEFT_QUERY_URL", exported("WEFT_QUERY_URL"));
    assertThat(env.values()).containsExactlyInAnyOrder(bootstrap, registry, query);
    try (WeftProcess runs = WeftProcess.start(dir.resolve("runs"), env, "runs")) {
      assertThat(runs.awaitExit(Duration.ofMinutes(1))).as(runs.toString()).isEqualTo(Weft.OK);
      assertThat(runs.output()).first().asString().startsWith("RUN ");
    }

    // when: Ctrl-C
    up.stop(Duration.ofMinutes(1));

    // then: it stopped cleanly, logging to the end, and nothing answers any more
    assertThat(up.errors()).doesNotContain("Log4j").doesNotContain("SimpleLogger");
    assertThatThrownBy(() -> get(query + "/health")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> get(registry + "/subjects")).isInstanceOf(IOException.class);
  }

  private String exported(String variable) {
    return up.awaitOutput(Pattern.compile("^ +export " + variable + "=(\\S+)$"), START);
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
