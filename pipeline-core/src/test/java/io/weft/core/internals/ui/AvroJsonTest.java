package io.weft.core.internals.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.TaskFailed;
import io.weft.schemas.events.TaskProgressed;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

  private static final Instant AT = Instant.parse("2026-12-06T10:15:30.123Z");

  @Test
  void shouldFlattenAnEventWithItsTypeTimestampAndFields() {
    RunEvent event =
        new RunEvent(
            "run-1",
            7L,
            AT,
            new TaskProgressed(
                "train", 2, 3L, 5L, Map.of("loss", 0.25, "nan", Double.NaN), null, "w-1"));

    ObjectNode json = AvroJson.event(event);

    assertThat(json.path("runId").asText()).isEqualTo("run-1");
    assertThat(json.path("sequence").asLong()).isEqualTo(7);
    assertThat(json.path("timestamp").asText()).isEqualTo("2026-12-06T10:15:30.123Z");
    assertThat(json.path("type").asText()).isEqualTo("TaskProgressed");
    assertThat(json.path("taskId").asText()).isEqualTo("train");
    assertThat(json.path("attempt").asInt()).isEqualTo(2);
    assertThat(json.path("step").asLong()).isEqualTo(3);
    assertThat(json.path("metrics").path("loss").asDouble()).isEqualTo(0.25);
    // JSON has no NaN: it is text, not an invalid number
    assertThat(json.path("metrics").path("nan").asText()).isEqualTo("NaN");
    assertThat(json.get("message").isNull()).isTrue();
  }

  @Test
  void shouldNestRecordsSuchAsATasksError() {
    RunEvent event =
        new RunEvent(
            "run-1",
            3L,
            AT,
            new TaskFailed("t", 1, new TaskError("weft.Timeout", "too slow", true), null, true));

    ObjectNode json = AvroJson.event(event);

    assertThat(json.path("type").asText()).isEqualTo("TaskFailed");
    assertThat(json.path("error").path("errorClass").asText()).isEqualTo("weft.Timeout");
    assertThat(json.path("error").path("retryable").asBoolean()).isTrue();
    assertThat(json.path("lastAttempt").asBoolean()).isTrue();
  }
}
