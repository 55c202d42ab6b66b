package io.weft.workers.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.core.testing.ManualTime;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.results.TaskProgress;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.OutputValue;
import io.weft.workers.api.TaskFailedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TaskContextImplTest {

  private final List<TaskProgress> sent = new ArrayList<>();

  @BeforeAll
  static void trust() {
    GeneratedClasses.trust();
  }

  private TaskContextImpl context() {
    Map<String, JsonNode> params = Map.of("epochs", Json.parse("5"), "lr", Json.parse("\"x\""));
    Map<String, Map<String, OutputValue>> upstream =
        Map.of("prep", Map.of("rows", OutputValue.ofJson(Json.parse("100"))));
    return new TaskContextImpl(TaskResultsTest.request(), params, upstream, null, "w-1", sent::add);
  }

  @Test
  void shouldExposeTheRequestAndConvertParameters() {
    // given
    TaskContextImpl context = context();

    // when
    int epochs = context.param("epochs", Integer.class);

    // then
    assertThat(epochs).isEqualTo(5);
    assertThat(context.idempotencyKey()).isEqualTo("run-1/train/2");
    assertThat(context.attempt()).isEqualTo(2);
    assertThat(context.upstreamJson("prep", "rows").intValue()).isEqualTo(100);
  }

  @Test
  void shouldFailNotRetryableOnAMissingOrMistypedParameterOrOutput() {
    // given
    TaskContextImpl context = context();

    // when / then
    assertThatThrownBy(() -> context.param("batch"))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("no parameter 'batch'");
    assertThatThrownBy(() -> context.param("lr", Integer.class))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("Parameter 'lr'");
    assertThatThrownBy(() -> context.upstreamArtifact("prep", "rows"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("is JSON, not an artifact");
    assertThatThrownBy(() -> context.upstreamJson("eval", "rows"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("no upstream task 'eval'");
  }

  @Test
  void shouldSendProgressUntilTheAttemptIsDiscarded() {
    // given
    TaskContextImpl context = context();
    context.progress(1, 3L, Map.of("loss", 0.5), "epoch 1");

    // when
    context.cancel(CancelReason.PARTITION_LOST);
    context.progress(2, 3L, Map.of("loss", 0.4));

    // then
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).getStep()).isEqualTo(1);
    assertThat(sent.get(0).getTotalSteps()).isEqualTo(3L);
    assertThat(sent.get(0).getMetrics()).containsEntry("loss", 0.5);
    assertThat(sent.get(0).getMessage()).isEqualTo("epoch 1");
    assertThat(sent.get(0).getWorkerId()).isEqualTo("w-1");
    assertThat(context.isCancelled()).isTrue();
  }

  @Test
  void shouldCountTheDeadlineFromTheStartWhenTheRequestCarriesATimeout() {
    // given: a request dispatched long ago, with a 30 s timeout from its start
    ManualTime time = new ManualTime();
    TaskRequest request =
        TaskRequest.newBuilder(TaskResultsTest.request())
            .setDeadline(Instant.EPOCH)
            .setTimeoutMs(30_000L)
            .build();

    // when
    TaskContextImpl context =
        new TaskContextImpl(request, Map.of(), Map.of(), null, "w-1", sent::add, time);

    // then
    assertThat(context.deadline()).isEqualTo(time.now().plusSeconds(30));
  }

  @Test
  void shouldKeepTheRequestsDeadlineFromACoordinatorThatCountedFromDispatch() {
    // given
    TaskRequest request =
        TaskRequest.newBuilder(TaskResultsTest.request()).setTimeoutMs(null).build();

    // when
    TaskContextImpl context =
        new TaskContextImpl(request, Map.of(), Map.of(), null, "w-1", sent::add);

    // then
    assertThat(context.deadline()).isEqualTo(request.getDeadline());
  }
}
