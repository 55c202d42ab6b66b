package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.events.RunFailed;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A run the coordinator cannot carry on fails alone; the runs after it on its partition go on. */
@ExtendWith(WeftStackExtension.class)
class BadRunsIT {

  @Test
  void shouldFailAForEachWhoseChildrensParamsCannotResolveAndRunTheNextRunOfItsPartition(
      WeftStack stack) {
    // given: one partition for every topic, so that both runs share the coordinator's
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "bad-runs")
            .withSharedSettings(Map.of("weft.partitions", "1"))
            .withHandlers(new TestHandlers())
            .startCoordinator()) {
      weft.startWorker(Map.of("worker.concurrency", "2"), "step");
      WeftClient client = weft.client();
      client.register(
          WorkflowDefinition.builder("tune", 1)
              .param("grid", List.of(1, 2))
              .task(
                  TaskDefinition.builder("train", "step")
                      .forEach("${params.grid}")
                      .param("model", "${item.lr}"))
              .build());
      client.register(
          WorkflowDefinition.builder("plain", 1).task(TaskDefinition.builder("a", "step")).build());

      // when: the run whose elements have no field lr, then a plain run
      String bad = client.startRun("tune", Map.of());
      String plain = client.startRun("plain", Map.of());

      // then: the bad run failed within 5 s naming the reference and the element; the next ran
      RunView failed = client.awaitCompletion(bad, Duration.ofSeconds(5));
      assertThat(failed.status()).isEqualTo(RunView.Status.FAILED);
      RunFailed why =
          weft.eventLog().runLog(bad).stream()
              .map(e -> e.getEvent())
              .filter(RunFailed.class::isInstance)
              .map(RunFailed.class::cast)
              .findFirst()
              .orElseThrow();
      assertThat(why.getError().getErrorClass()).isEqualTo("weft.ParameterError");
      assertThat(why.getError().getMessage()).contains("${item.lr}", "train[0]");
      assertThat(client.awaitCompletion(plain, Duration.ofSeconds(10)).status())
          .isEqualTo(RunView.Status.SUCCEEDED);
    }
  }
}
