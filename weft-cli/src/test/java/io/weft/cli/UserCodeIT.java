package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.events.TaskProgressed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Users' own code, as a user runs it: Python programs served with {@code weft worker --exec}, and
 * the handler template's jar loaded with {@code weft worker --handlers}, each worker a process of
 * its own against a real broker, registry and coordinator.
 */
@ExtendWith(WeftStackExtension.class)
class UserCodeIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path PYTHON_WORKFLOW = REPO.resolve("examples/python-regression.yaml");
  private static final Path TEMPLATE = REPO.resolve("examples/custom-handler");
  private static final Duration START = Duration.ofMinutes(1);
  private static final Pattern SERVING = Pattern.compile("^worker \\S+ serving (.+)$");

  private static CliKit kit;
  private static Path dir;
  private static WeftProcess pythonWorker;

  @BeforeAll
  static void start(WeftStack stack) throws Exception {
    kit = new CliKit(stack, "user-code").startCoordinator();
    dir = kit.dir;
    pythonWorker = pythonWorker();
  }

  @AfterAll
  static void stop() throws Exception {
    try (WeftProcess worker = pythonWorker) {
      // stopped as Ctrl-C stops it, leaving its groups
      worker.stop(START);
    } finally {
      kit.close();
    }
  }

  @Test
  void shouldRunThePythonExampleOnExecTasksWithItsProgressAndArtifacts() throws Exception {
    // when
    Cli.Result run = kit.weft("run", PYTHON_WORKFLOW.toString(), "--wait");

    // then
    assertThat(run.exitCode()).as(run.err() + pythonWorker).isEqualTo(Weft.OK);
    String runId = run.out().lines().findFirst().orElseThrow();
    JsonNode status = status(runId);
    assertThat(status.at("/tasks/prepare/outputs/rows").asInt()).isEqualTo(500);
    assertThat(status.at("/tasks/fit/outputs/weights")).hasSize(3);
    assertThat(status.at("/tasks/fit/outputs/model/uri").asText()).endsWith("/model.json");
    assertThat(status.at("/tasks/fit/outputs/log/uri").asText()).endsWith("/log.txt");
    assertThat(status.at("/tasks/evaluate/outputs/r2").asDouble()).isGreaterThan(0.95);
    // what each program used, measured by the worker, shown by weft status
    assertThat(status.at("/tasks/fit/usage/cpuMs").asLong()).isPositive();
    assertThat(status.at("/tasks/fit/usage/peakMemoryBytes").asLong()).isGreaterThan(1L << 20);
    assertThat(kit.weft("status", runId).out())
        .containsPattern("(?m)^fit +SUCCEEDED +1 .* cpu \\d+\\.\\d\\ds, mem \\d");
    List<Double> losses =
        kit.events(runId).stream()
            .filter(e -> e.getEvent() instanceof TaskProgressed p && p.getTaskId().equals("fit"))
            .map(e -> ((TaskProgressed) e.getEvent()).getMetrics().get("loss"))
            .filter(loss -> loss != null)
            .toList();
    assertThat(losses).hasSize(40);
    assertThat(losses.get(39)).isLessThan(losses.get(0));
  }

  @Test
  void shouldFailARunAtOnceWhenItsProgramRefusesItsParams() throws Exception {
    // when: rows=0, which the program refuses with exit code 65 (EX_DATAERR)
    Cli.Result run = kit.weft("run", PYTHON_WORKFLOW.toString(), "-p", "rows=0", "--wait");

    // then
    assertThat(run.exitCode()).as(run.err() + pythonWorker).isNotEqualTo(Weft.OK);
    JsonNode status = status(run.out().lines().findFirst().orElseThrow());
    assertThat(status.get("status").asText()).isEqualTo("FAILED");
    assertThat(status.at("/tasks/prepare/attempt").asInt()).isEqualTo(1);
    assertThat(status.at("/tasks/prepare/error").asText())
        .contains("exited with 65")
        .contains("param 'rows' must be at least 1, got 0");
  }

  @Test
  void shouldServeTheTemplatesHandlerFromAHandlersDirectory() throws Exception {
    // given: the template built by the reactor, as `mvn package` builds it for a user
    Path handlers = TEMPLATE.resolve("target/handlers");
    try (WeftProcess worker =
        WeftProcess.start(
            dir.resolve("template-worker"),
            Map.of(),
            "worker",
            "--config",
            kit.workerConfig().toString(),
            "--handlers",
            handlers.toString())) {
      assertThat(worker.awaitOutput(SERVING, START)).isEqualTo("word-count");

      // when
      Cli.Result run = kit.weft("run", TEMPLATE.resolve("word-count.yaml").toString(), "--wait");

      // then
      assertThat(run.exitCode()).as(run.err() + worker).isEqualTo(Weft.OK);
      JsonNode status = status(run.out().lines().findFirst().orElseThrow());
      assertThat(status.at("/tasks/count/outputs/words").asInt()).isEqualTo(13);
      assertThat(status.at("/tasks/count/outputs/top").toString())
          .isEqualTo("{\"the\":3,\"dog\":2}");
    }
  }

  private static WeftProcess pythonWorker() throws Exception {
    String script = "python3 examples/python/regression.py ";
    WeftProcess worker =
        WeftProcess.start(
            dir.resolve("python-worker"),
            Map.of(),
            "worker",
            "--config",
            kit.workerConfig().toString(),
            "--exec-dir",
            REPO.toString(),
            "--exec",
            "py-prepare=" + script + "prepare",
            "--exec",
            "py-fit=" + script + "fit",
            "--exec",
            "py-evaluate=" + script + "evaluate");
    assertThat(worker.awaitOutput(SERVING, START)).isEqualTo("py-prepare, py-fit, py-evaluate");
    return worker;
  }

  private static JsonNode status(String runId) throws Exception {
    Cli.Result status = kit.weft("status", runId, "--output", "json");
    assertThat(status.exitCode()).as(status.err()).isEqualTo(Weft.OK);
    return JSON.readTree(status.out());
  }
}
