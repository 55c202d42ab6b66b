package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.events.TaskFailed;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A result over the broker's size limit fails its attempt alone, naming the size and the limit. */
@ExtendWith(WeftStackExtension.class)
class ResultSizeIT {

  @Test
  void shouldFailATwoMegabyteResultWithOutputTooLargeWhileOtherResultsCommit(WeftStack stack) {
    // given
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "result-size")
            .withHandlers(new TestHandlers())
            .startCoordinator()) {
      weft.startWorker(Map.of("worker.concurrency", "4"), "sized");
      weft.client()
          .register(
              WorkflowDefinition.builder("sized", 1)
                  .param("bytes", 10)
                  .task(TaskDefinition.builder("emit", "sized").param("bytes", "${params.bytes}"))
                  .build());

      // when
      String big = weft.client().startRun("sized", Map.of("bytes", 2_000_000));
      String small = weft.client().startRun("sized", Map.of("bytes", 10));

      // then: the small run's result commits promptly; the big one fails, not retried
      assertThat(weft.client().awaitCompletion(small, Duration.ofSeconds(5)).status())
          .isEqualTo(RunView.Status.SUCCEEDED);
      assertThat(weft.client().awaitCompletion(big, Duration.ofSeconds(30)).status())
          .isEqualTo(RunView.Status.FAILED);
      TaskFailed failed =
          weft.eventLog().runLog(big).stream()
              .map(e -> e.getEvent())
              .filter(TaskFailed.class::isInstance)
              .map(TaskFailed.class::cast)
              .findFirst()
              .orElseThrow();
      assertThat(failed.getError().getErrorClass()).isEqualTo("weft.OutputTooLarge");
      assertThat(failed.getError().getRetryable()).isFalse();
      assertThat(failed.getError().getMessage()).contains("bytes, over the limit of");
      assertThat(failed.getLastAttempt()).isTrue();
    }
  }
}
