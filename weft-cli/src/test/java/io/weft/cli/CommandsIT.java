package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.weft.core.api.WorkflowValidator;
import io.weft.core.api.WorkflowYaml;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a real broker, registry, coordinator and worker. */
@ExtendWith(WeftStackExtension.class)
class CommandsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ECHO = Path.of("src/test/resources/workflows/echo.yaml");

  private static final Pattern RUNNING_WAIT = Pattern.compile("(?m)^wait +RUNNING ");
  private static final Pattern RUNNING_HOLD_DONE = Pattern.compile("(?m)^hold +SUCCEEDED ");

  private static CliKit kit;
  private static String config;

  @TempDir Path dir;

  @BeforeAll
  static void start(WeftStack stack) throws Exception {
    kit = new CliKit(stack, "cli-commands").startCoordinator().startWorker();
    config = kit.clientConfig().toString();
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static Cli.Result weft(String... args) {
    return kit.weft(args);
  }

  private static String runId(Cli.Result result) {
    return result.out().lines().findFirst().orElseThrow();
  }

  @Test
  void shouldRegisterAWorkflowThenFindItUnchanged() throws Exception {
    // given
    Path file = dir.resolve("registered.yaml");
    Files.writeString(
        file, "name: cli-registered\nversion: 1\ntasks:\n  - {id: a, type: cli-echo}\n");

    // when
    Cli.Result first = weft("register", file.toString());
    Cli.Result again = weft("register", file.toString());

    // then
    assertThat(first.exitCode()).isEqualTo(Weft.OK);
    assertThat(first.out()).startsWith("REGISTERED");
    assertThat(again.exitCode()).isEqualTo(Weft.OK);
    assertThat(again.out()).startsWith("UNCHANGED");
  }

  @Test
  void shouldRunAWorkflowAndExit0WhenItSucceeds() {
    // when
    Cli.Result result = weft("run", ECHO.toString(), "--param", "greeting=hi", "--wait");

    // then
    assertThat(result.exitCode()).as(result.err()).isEqualTo(Weft.OK);
    assertThat(runId(result)).hasSize(36);
    assertThat(result.out()).contains("SUCCEEDED");
  }

  @Test
  void shouldPrintARunsStatusAsATableAndAsJson() throws Exception {
    // given
    String runId = runId(weft("run", ECHO.toString(), "-p", "greeting=[1,2]", "--wait"));

    // when
    Cli.Result table = weft("status", runId);
    Cli.Result json = weft("status", runId, "--output", "json");

    // then
    assertThat(table.exitCode()).isEqualTo(Weft.OK);
    assertThat(table.out())
        .contains("run:      " + runId)
        .contains("status:   SUCCEEDED")
        .containsPattern("(?m)^TASK +STATUS +ATTEMPT")
        .containsPattern("(?m)^first +SUCCEEDED +1")
        .containsPattern("(?m)^second +SUCCEEDED +1");
    JsonNode run = JSON.readTree(json.out());
    assertThat(run.get("runId").asText()).isEqualTo(runId);
    assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.at("/tasks/second/outputs/heard").toString()).isEqualTo("[1,2]");
  }

  @Test
  void shouldListRunsByStatus() throws Exception {
    // given
    String runId = runId(weft("run", ECHO.toString(), "--wait"));

    // when
    Cli.Result table = weft("runs", "--status", "SUCCEEDED", "--limit", "1000");
    Cli.Result json = weft("runs", "--output", "json", "--limit", "1000");
    Cli.Result failed = weft("runs", "--status", "FAILED", "--limit", "1000");

    // then
    assertThat(table.exitCode()).isEqualTo(Weft.OK);
    assertThat(table.out())
        .containsPattern("(?m)^RUN +WORKFLOW +VERSION +STATUS")
        .containsPattern("(?m)^" + runId + " +cli-echo +1 +SUCCEEDED");
    assertThat(JSON.readTree(json.out()).findValuesAsText("runId")).contains(runId);
    assertThat(failed.out()).doesNotContain(runId);
  }

  @Test
  void shouldReturnFromRunOnlyOnceTheCoordinatorKnowsTheRun() {
    // given
    Cli.Result run = weft("run", ECHO.toString());

    // when: asked straight away
    Cli.Result status = weft("status", runId(run));

    // then
    assertThat(run.exitCode()).as(run.err()).isEqualTo(Weft.OK);
    assertThat(status.exitCode()).as(status.err()).isEqualTo(Weft.OK);
    assertThat(status.out()).contains("run:      " + runId(run));
  }

  @Test
  void shouldWarnThatARunIsQueuedWhenNoCoordinatorReportsIt() throws Exception {
    // given: a query API that knows every definition and never a run, as a coordinator whose
    // stream threads are stuck would answer
    HttpServer stuck =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stuck.createContext(
        "/",
        exchange -> {
          boolean definition = exchange.getRequestURI().getPath().startsWith("/definitions/");
          byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(definition ? 200 : 404, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    stuck.start();
    try {
      Properties settings = new Properties();
      try (Reader in = Files.newBufferedReader(Path.of(config))) {
        settings.load(in);
      }
      settings.setProperty("weft.query.url", "http://127.0.0.1:" + stuck.getAddress().getPort());
      Path stuckConfig = dir.resolve("stuck-coordinator.properties");
      try (Writer out = Files.newBufferedWriter(stuckConfig)) {
        settings.store(out, null);
      }

      // when
      Cli.Result run =
          Cli.run("run", ECHO.toString(), "--timeout", "2s", "--config", stuckConfig.toString());

      // then: the run is started all the same, so no failure a script would repeat it for
      assertThat(run.exitCode()).as(run.err()).isEqualTo(Weft.OK);
      assertThat(run.out()).hasLineCount(1);
      assertThat(run.err())
          .isEqualTo(
              "weft: warning: run "
                  + runId(run)
                  + " is queued, but no coordinator reported it within 2s;"
                  + " it starts when a coordinator takes it\n");
      await() // the real coordinator, which the stuck query API hid, has the run
          .atMost(Duration.ofSeconds(30))
          .until(() -> weft("status", runId(run)).exitCode() == Weft.OK);
    } finally {
      stuck.stop(0);
    }
  }

  @Test
  void shouldWatchARunsEventsUntilItEnds() {
    // given
    String runId = runId(weft("run", ECHO.toString()));

    // when
    Cli.Result result = weft("watch", runId, "--timeout", "60s");

    // then
    assertThat(result.exitCode()).as(result.err()).isEqualTo(Weft.OK);
    List<String> lines = result.out().lines().toList();
    assertThat(lines.get(0)).contains("RunStarted");
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("TaskSucceeded").contains("second"));
    assertThat(lines.get(lines.size() - 1)).contains("RunSucceeded");
  }

  @Test
  void shouldWatchWhileRunningWithRunWatch() {
    // when
    Cli.Result result = weft("run", ECHO.toString(), "--watch", "--timeout", "60s");

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.OK);
    assertThat(result.out()).contains("RunStarted").contains("RunSucceeded");
  }

  @Test
  void shouldCancelARunningRun() {
    // given
    String runId = runId(weft("run", "src/test/resources/workflows/block.yaml"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> RUNNING_WAIT.matcher(weft("status", runId).out()).find());

    // when
    Cli.Result cancel = weft("cancel", runId, "--reason", "changed my mind");

    // then
    assertThat(cancel.exitCode()).isEqualTo(Weft.OK);
    assertThat(cancel.out()).isEqualTo("CANCEL REQUESTED " + runId + "\n");
    Cli.Result watch = weft("watch", runId, "--timeout", "60s");
    assertThat(watch.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(watch.out()).contains("RunCancelled").contains("changed my mind");
  }

  @Test
  void shouldPauseARunSoItDispatchesNothingNewAndResumeItToTheEnd() {
    // given: a run whose first task holds until the test opens its gate
    String runId = runId(weft("run", "src/test/resources/workflows/gate.yaml"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> weft("status", runId).out().contains("RUNNING"));

    // when
    Cli.Result pause = weft("pause", runId, "--reason", "inspecting");

    // then
    assertThat(pause.exitCode()).as(pause.err()).isEqualTo(Weft.OK);
    assertThat(pause.out()).isEqualTo("PAUSE REQUESTED " + runId + "\n");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> weft("status", runId).out().contains("status:   RUNNING (paused"));

    // when: the in-flight task finishes while the run is paused
    TestHandlers.Gate.open(runId);

    // then: its result is kept, and nothing new is dispatched
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> RUNNING_HOLD_DONE.matcher(weft("status", runId).out()).find());
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !weft("status", runId).out().contains("after "));

    // when
    Cli.Result resume = weft("resume", runId);

    // then
    assertThat(resume.exitCode()).as(resume.err()).isEqualTo(Weft.OK);
    assertThat(resume.out()).isEqualTo("RESUME REQUESTED " + runId + "\n");
    Cli.Result watch = weft("watch", runId, "--timeout", "60s");
    assertThat(watch.exitCode()).as(watch.out()).isEqualTo(Weft.OK);
    assertThat(watch.out())
        .contains("RunPaused")
        .contains("reason=inspecting")
        .containsPattern("RunResumed +heldTasks=1");
    assertThat(weft("status", runId, "--output", "json").out()).contains("\"paused\" : false");
    Cli.Result again = weft("resume", runId);
    assertThat(again.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(again.err()).contains("is not paused (SUCCEEDED)");
    Cli.Result late = weft("pause", runId);
    assertThat(late.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(late.err()).contains("is SUCCEEDED, not running");
  }

  @Test
  void shouldCreateListAndDeleteASchedule() {
    // when: an invalid one
    Cli.Result invalid =
        weft("schedules", "create", "bad", "--workflow", "nope", "--cron", "* * *", "-p", "x=1");

    // then: every problem is named, nothing is written
    assertThat(invalid.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(invalid.err())
        .contains("cron expression '* * *' is invalid: 3 fields")
        .contains("workflow 'nope' is not registered");

    // when: a valid one, at 03:00 Paris time every day
    Cli.Result created =
        weft(
            "schedules",
            "create",
            "nightly-echo",
            "--workflow",
            "cli-echo",
            "--cron",
            "0 3 * * *",
            "--time-zone",
            "Europe/Paris",
            "--missed",
            "skip",
            "-p",
            "greeting=night");

    // then
    assertThat(created.exitCode()).as(created.err()).isEqualTo(Weft.OK);
    assertThat(created.out())
        .startsWith("SCHEDULED nightly-echo")
        .containsPattern("next run: 20\\d\\d-\\d\\d-\\d\\dT0[12]:00:00Z");
    assertThat(weft("schedules", "list").out())
        .containsPattern("(?m)^nightly-echo +cli-echo +0 3 \\* \\* \\* +Europe/Paris +SKIP ");

    // when
    Cli.Result deleted = weft("schedules", "delete", "nightly-echo");
    Cli.Result again = weft("schedules", "delete", "nightly-echo");

    // then
    assertThat(deleted.out()).isEqualTo("DELETED nightly-echo\n");
    assertThat(again.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(weft("schedules", "list").out()).doesNotContain("nightly-echo");
  }

  @Test
  void shouldRetryAFailedRunToSuccess() {
    // given: a run whose first task fails once, without retry
    Cli.Result failed = weft("run", "src/test/resources/workflows/flaky.yaml", "--wait");
    assertThat(failed.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(failed.out()).contains("FAILED");
    String runId = runId(failed);

    // when
    Cli.Result retry = weft("retry", runId);

    // then
    assertThat(retry.exitCode()).isEqualTo(Weft.OK);
    assertThat(retry.out()).isEqualTo("RETRY REQUESTED " + runId + "\n");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> weft("status", runId).out().contains("status:   SUCCEEDED"));
  }

  @Test
  void shouldSayAnUnknownRunIsNotFoundAndExit1() {
    // given
    String unknown = UUID.randomUUID().toString();

    // when
    Cli.Result result = weft("status", unknown);

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(result.err()).isEqualTo("weft: run " + unknown + " not found\n");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void shouldPrintEveryProblemOfAnInvalidFileOnRunAndExit2() {
    // given
    Path file = Path.of("src/test/resources/workflows/invalid.yaml");
    List<String> expected =
        WorkflowValidator.withoutTypeCheck().problems(WorkflowYaml.read(file)).stream()
            .map(p -> "weft: " + file + ": " + p)
            .toList();

    // when
    Cli.Result result = weft("run", file.toString(), "--wait");

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err().lines()).containsExactlyElementsOf(expected);
    assertThat(result.out()).isEmpty();
  }

  @Test
  void shouldListTopicsWithTheLagOfEachTaskType() {
    // given
    assertThat(weft("run", ECHO.toString(), "--wait").exitCode()).isEqualTo(Weft.OK);

    // when
    Cli.Result result = weft("topics");

    // then
    assertThat(result.exitCode()).as(result.err()).isEqualTo(Weft.OK);
    String prefix = kit.prefix.replace(".", "\\.");
    assertThat(result.out())
        .containsPattern("(?m)^TOPIC +PARTITIONS +WORKER GROUP +LAG$")
        .containsPattern("(?m)^" + prefix + "events +\\d+ +- +-$")
        .containsPattern(
            "(?m)^" + prefix + "tasks\\.cli-echo +\\d+ +" + prefix + "workers\\.cli-echo +\\d+$");
  }

  @Test
  void shouldListShowAndReplayACommandTheCoordinatorSetAsideOnlyOnceWithoutForce(WeftStack stack)
      throws Exception {
    // given: bytes on the commands topic that are no command, set aside by the coordinator
    String key = "poison-" + UUID.randomUUID();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            java.util.Map.of("bootstrap.servers", stack.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  kit.prefix + "commands", key, "not avro".getBytes(StandardCharsets.UTF_8)))
          .get();
    }
    Pattern row =
        Pattern.compile(
            "(?m)^(\\d+:\\d+) +\\S+ +"
                + Pattern.quote(kit.prefix)
                + "commands-\\d+@\\d+ +coordinator .* no$");
    String id =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> row.matcher(weft("dlq", "list").out()), java.util.regex.Matcher::find)
            .group(1);

    // when: shown
    Cli.Result show = weft("dlq", "show", id);

    // then: where it came from, why, and its bytes
    assertThat(show.exitCode()).as(show.err()).isEqualTo(Weft.OK);
    assertThat(show.out())
        .contains("from:      " + kit.prefix + "commands-")
        .contains("component: coordinator")
        .contains("value:     not avro")
        .contains("replayed:  no");

    // when: replayed, it goes back to the commands topic (and, still no command, is set aside
    // again, now saying it was replayed)
    Cli.Result replay = weft("dlq", "replay", id);
    assertThat(replay.exitCode()).as(replay.err()).isEqualTo(Weft.OK);
    assertThat(replay.out()).contains(id + " replayed to " + kit.prefix + "commands-");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                weft("dlq", "list").out().lines().filter(l -> l.contains(" coordinator ")).count()
                    >= 2);

    // then: it is marked replayed, and a second replay is refused without --force
    assertThat(weft("dlq", "show", id).out()).doesNotContain("replayed:  no");
    Cli.Result again = weft("dlq", "replay", id);
    assertThat(again.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(again.err()).contains("replayed before").contains("--force");
    assertThat(weft("dlq", "replay", "--force", id).exitCode()).isEqualTo(Weft.OK);
    Cli.Result unknown = weft("dlq", "show", "0:999999");
    assertThat(unknown.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(unknown.err()).contains("no dead letter 0:999999");
    assertThat(weft("dlq", "show", "nonsense").exitCode()).isEqualTo(Weft.INVALID);
  }
}
