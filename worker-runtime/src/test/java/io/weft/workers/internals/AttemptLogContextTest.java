package io.weft.workers.internals;

import static io.weft.workers.internals.TaskLoopKit.P0;
import static io.weft.workers.internals.TaskLoopKit.TYPE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A handler's log lines during an attempt, through Weft's JSON layout ({@code
 * weft/log-layout.json}, what {@code weft --log-format json} uses), carry the attempt's run, task,
 * attempt and task type.
 */
class AttemptLogContextTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final StringWriter out = new StringWriter();
  private final Logger handlerLog = (Logger) LogManager.getLogger("test.handler");
  private WriterAppender appender;

  @BeforeEach
  void captureTheHandlersLogAsJson() {
    Configuration config = handlerLog.getContext().getConfiguration();
    JsonTemplateLayout layout =
        JsonTemplateLayout.newBuilder()
            .setConfiguration(config)
            .setEventTemplateUri("classpath:weft/log-layout.json")
            .build();
    appender = WriterAppender.createAppender(layout, null, out, "json-capture", false, true);
    appender.start();
    handlerLog.addAppender(appender);
    handlerLog.setLevel(Level.INFO);
  }

  @AfterEach
  void stopCapturing() {
    if (appender != null) {
      handlerLog.removeAppender(appender);
      appender.stop();
    }
  }

  @Test
  void shouldLogTheRunTaskAttemptAndTypeWithEachLineOfTheHandler() throws Exception {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(2).request(P0, 0, "run-7").turn();

    // when
    kit.finishRunning().turn();

    // then
    List<JsonNode> lines = lines();
    assertThat(lines).hasSize(1);
    JsonNode line = lines.get(0);
    assertThat(line.get("message").asText()).isEqualTo("handling run-7");
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("runId").asText()).isEqualTo("run-7");
    assertThat(line.get("taskId").asText()).isEqualTo("fit");
    assertThat(line.get("attempt").asText()).isEqualTo("1");
    assertThat(line.get("taskType").asText()).isEqualTo(TYPE);
  }

  @Test
  void shouldLeaveNoAttemptContextOnTheHandlersThreadAfterwards() throws Exception {
    // given: an attempt ran on the executor's thread
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1).request(P0, 0, "run-8").turn();
    kit.finishRunning().turn();

    // when: the same thread logs outside any attempt
    kit.executor.execute(() -> TaskLoopKit.HANDLER_LOG.info("between attempts"));
    kit.finishRunning();

    // then
    JsonNode last = lines().get(lines().size() - 1);
    assertThat(last.get("message").asText()).isEqualTo("between attempts");
    assertThat(last.has("runId")).isFalse();
  }

  private List<JsonNode> lines() throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }
}
