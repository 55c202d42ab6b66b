package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.TaskProgressed;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.testkit.ChildJvm;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A training task survives the SIGKILL of its worker by resuming from its last checkpoint. */
@ExtendWith(WeftStackExtension.class)
class TrainResumeIT {

  private WeftInstallation kit;

  @AfterEach
  void stop() throws Exception {
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void shouldResumeAfterTheLastCheckpointWhenTheWorkerIsKilledDuringEpochThree(WeftStack stack)
      throws Exception {
    // given: data prepared here, and training served by two worker JVMs
    kit =
        WeftInstallation.forTests(stack, "resume")
            .withHandlers(new TestHandlers())
            .startCoordinator();
    kit.startWorker(Map.of(), "prepare-data");
    List<ChildJvm> trainers =
        List.of(
            kit.startWorkerProcess(WeftInstallation.FAST_FAILURE_DETECTION, "train"),
            kit.startWorkerProcess(WeftInstallation.FAST_FAILURE_DETECTION, "train"));
    kit.awaitStableGroup("train", 2);
    kit.client()
        .register(
            WorkflowDefinition.builder("resume", 1)
                .task(
                    TaskDefinition.builder("prepare", "prepare-data")
                        .param("source", Mnist.IMAGES.toString())
                        .param("seed", 7)
                        .build())
                .task(
                    TaskDefinition.builder("train", "train")
                        .dependsOn("prepare")
                        .param("train", "${tasks.prepare.outputs.train}")
                        .param("validation", "${tasks.prepare.outputs.validation}")
                        .param("architecture", "cnn")
                        .param("epochs", 5)
                        .build())
                .build());

    // when: the worker training is killed once epoch 2 is reported, i.e. during epoch 3
    String runId = kit.client().startRun("resume", Map.of());
    TaskProgressed second =
        await()
            .atMost(Duration.ofMinutes(3))
            .until(
                () -> progress(runId).stream().filter(p -> p.getStep() == 2).findFirst(),
                o -> o.isPresent())
            .orElseThrow();
    String killed = second.getWorkerId();
    ChildJvm victim =
        trainers.stream().filter(w -> w.readyLine().equals(killed)).findFirst().orElseThrow();
    ChildJvm survivor = trainers.stream().filter(w -> w != victim).findFirst().orElseThrow();
    victim.kill();

    // then: the other worker resumes after epoch 2 or later and the run completes
    RunView done = kit.client().awaitCompletion(runId, Duration.ofMinutes(4));
    assertThat(done.status()).isEqualTo(RunView.Status.SUCCEEDED);
    List<RunEvent> log = kit.eventLog().runLog(runId);
    TaskSucceeded trained =
        log.stream()
            .map(RunEvent::getEvent)
            .filter(e -> e instanceof TaskSucceeded s && s.getTaskId().equals("train"))
            .map(TaskSucceeded.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(trained.getWorkerId()).isEqualTo(survivor.readyLine());
    int resumedAfter =
        Integer.parseInt(trained.getOutputs().get("resumedAfterEpoch").getJson().toString());
    assertThat(resumedAfter).as("epochs done before the resumed execution").isBetween(2, 4);
    List<Long> survivorSteps =
        progress(runId).stream()
            .filter(p -> survivor.readyLine().equals(p.getWorkerId()))
            .map(TaskProgressed::getStep)
            .toList();
    assertThat(survivorSteps).first().isEqualTo((long) resumedAfter);
    assertThat(survivorSteps).last().isEqualTo(5L);
    assertThat(
            progress(runId).stream()
                .filter(p -> killed.equals(p.getWorkerId()))
                .map(TaskProgressed::getStep))
        .as("epochs the killed worker finished")
        .startsWith(1L, 2L);
    System.out.printf(
        "Resume: worker killed during epoch 3; the resumed execution started at epoch %d%n",
        resumedAfter + 1);
  }

  private List<TaskProgressed> progress(String runId) {
    return kit.eventLog().events().stream()
        .filter(e -> e.getRunId().equals(runId))
        .map(RunEvent::getEvent)
        .filter(e -> e instanceof TaskProgressed p && p.getTaskId().equals("train"))
        .map(TaskProgressed.class::cast)
        .toList();
  }
}
