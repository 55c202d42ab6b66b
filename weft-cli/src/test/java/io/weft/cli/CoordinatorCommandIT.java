package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code weft coordinator} as a process of its own against the embedded stack. */
@ExtendWith(WeftStackExtension.class)
class CoordinatorCommandIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private CliKit kit;
  private WeftProcess coordinator;

  @AfterEach
  void stop() throws InterruptedException {
    if (coordinator != null) {
      coordinator.close();
    }
    kit.close();
  }

  @Test
  void shouldAnswerHealthWhileRunningAndLeaveItsGroupOnSigterm(WeftStack stack) throws Exception {
    // given
    kit = new CliKit(stack, "cli-coordinator");
    String applicationId = kit.prefix + "coordinator";

    // when
    coordinator =
        WeftProcess.start(
            kit.dir.resolve("process"),
            Map.of(),
            "coordinator",
            "--config",
            kit.coordinatorConfig().toString());
    String queryUrl =
        coordinator.awaitOutput(
            Pattern.compile("^coordinator running; query URL: (\\S+)$"), Duration.ofMinutes(2));

    // then
    HttpResponse<String> health = get(queryUrl + "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("RUNNING");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      assertThat(members(admin, applicationId)).isNotEmpty();

      // when: SIGTERM, as Ctrl-C or a container stop sends
      coordinator.stop(Duration.ofSeconds(60));

      // then: the query API is gone and the instance left the coordinator's group at once
      assertThatThrownBy(() -> get(queryUrl + "/health")).isInstanceOf(IOException.class);
      assertThat(members(admin, applicationId)).isEmpty();
    }
  }

  private static List<?> members(Admin admin, String group) throws Exception {
    ConsumerGroupDescription description =
        admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
    return List.copyOf(description.members());
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
