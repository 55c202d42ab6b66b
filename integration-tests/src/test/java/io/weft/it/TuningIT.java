package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.ModelRegistry;
import io.weft.core.api.RunView;
import io.weft.core.api.WorkflowYaml;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.TaskStarted;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shipped tuning example: a grid trained in parallel by two worker processes, best promoted.
 */
@ExtendWith(WeftStackExtension.class)
class TuningIT {

  private WeftInstallation kit;

  @AfterEach
  void stop() throws Exception {
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void shouldTrainFourConfigurationsInParallelOnTwoWorkersAndPromoteTheBest(WeftStack stack)
      throws Exception {
    // given: training served by two worker JVMs, on a task topic of 4 partitions (2 each)
    kit =
        WeftInstallation.forTests(stack, "tune")
            .withHandlers(new TestHandlers())
            .startCoordinator();
    kit.startWorker(
        Map.of(), "prepare-data", "select-best", "evaluate", "register-model", "promote-model");
    // the train topic, which the trainers create, has a partition per tuning child
    Map<String, Object> trainers = Map.of("worker.concurrency", "2", "weft.partitions", "4");
    kit.startWorkerProcess(trainers, "train");
    kit.startWorkerProcess(trainers, "train");
    kit.awaitStableGroup("train", 2);
    kit.client().register(WorkflowYaml.read(Mnist.ROOT.resolve("examples/mnist-tune.yaml")));

    // when
    Map<String, Object> params = new HashMap<>();
    params.put("images", Mnist.IMAGES.toString());
    params.put("labels", Mnist.LABELS.toString());
    params.put("epochs", 2);
    String runId = kit.client().startRun("mnist-tune", params);
    RunView run = kit.client().awaitCompletion(runId, Duration.ofMinutes(10));

    // then: four configurations trained at the same time, on both processes
    assertThat(run.status()).as(String.valueOf(run.error())).isEqualTo(RunView.Status.SUCCEEDED);
    List<RunEvent> log = kit.eventLog().runLog(runId);
    Map<String, Instant> started = times(log, TaskStarted.class);
    Map<String, Instant> finished = times(log, TaskSucceeded.class);
    Set<String> children = Set.of("train[0]", "train[1]", "train[2]", "train[3]");
    assertThat(started).containsKeys(children.toArray(String[]::new));
    Instant lastStart = children.stream().map(started::get).max(Instant::compareTo).orElseThrow();
    Instant firstEnd = children.stream().map(finished::get).min(Instant::compareTo).orElseThrow();
    assertThat(lastStart)
        .as("every child started before the first one finished")
        .isBefore(firstEnd);
    Set<String> workers =
        log.stream()
            .map(RunEvent::getEvent)
            .filter(e -> e instanceof TaskStarted s && children.contains(s.getTaskId()))
            .map(e -> ((TaskStarted) e).getWorkerId())
            .collect(Collectors.toSet());
    assertThat(workers).hasSize(2);

    // and the child with the best validation accuracy was selected, registered and promoted
    double best =
        children.stream()
            .mapToDouble(c -> run.tasks().get(c).outputs().get("validationAccuracy").asDouble())
            .max()
            .orElseThrow();
    assertThat(run.tasks().get("best").outputs().get("value").asDouble()).isEqualTo(best);
    int version = run.tasks().get("register").outputs().get("version").asInt();
    try (ModelRegistry registry = ModelRegistry.create(kit.connection())) {
      assertThat(registry.production("mnist").orElseThrow().getVersion()).isEqualTo(version);
      assertThat(registry.version("mnist", version).orElseThrow().getArtifact().getSha256())
          .isEqualTo(run.tasks().get("best").outputs().get("model").get("sha256").asText());
    }
  }

  private static Map<String, Instant> times(List<RunEvent> log, Class<?> type) {
    Map<String, Instant> times = new HashMap<>();
    for (RunEvent event : log) {
      if (type.isInstance(event.getEvent())) {
        String task =
            event.getEvent() instanceof TaskStarted s
                ? s.getTaskId()
                : ((TaskSucceeded) event.getEvent()).getTaskId();
        times.putIfAbsent(task, event.getTimestamp());
      }
    }
    return times;
  }
}
