package io.weft.it;

import static io.weft.it.CoordinatorKit.request;
import static io.weft.it.Handlers.handler;
import static io.weft.it.Handlers.results;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.core.api.DeadLetterHeaders;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.serde.AvroSerializer;
import io.weft.schemas.serde.UndecodableRecordException;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.testkit.CommittedRecords;
import io.weft.workers.api.TaskOutputs;
import io.weft.workers.api.Worker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Records that are not valid requests go to the dead-letter topic; the worker goes on. */
@ExtendWith(WeftStackExtension.class)
class PoisonRecordsIT {

  @Test
  void shouldDeadLetterPoisonRecordsWithHeadersAndStillCompleteTheGoodRequestAfterThem(
      WeftStack stack) throws Exception {
    // given: a worker, and four poison records ahead of a good request on one partition
    List<String> executed = new CopyOnWriteArrayList<>();
    try (CoordinatorKit kit = new CoordinatorKit(stack);
        Worker worker =
            Worker.builder(kit.workerConfig("w-1", Map.of()))
                .handler(
                    handler(
                        "poison",
                        ctx -> {
                          executed.add(ctx.taskId());
                          return TaskOutputs.empty();
                        }))
                .build()
                .start();
        CommittedRecords<TaskReport> reports = kit.results();
        CommittedRecords<byte[]> deadLetters = kit.deadLetters()) {
      String topic = kit.topics().tasks("poison");
      byte[] garbage = "{\"runId\":\"run-1\"}".getBytes(StandardCharsets.UTF_8);
      byte[] unknownSchemaId =
          ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(42).array();
      byte[] misKeyed =
          new AvroSerializer<TaskRequest>(kit.serde(), false)
              .serialize(topic, request("run-1", "other", 1, "poison"));

      // when
      kit.publishRaw(topic, 0, "run-1/a", garbage);
      kit.publishRaw(topic, 0, "run-1/b", unknownSchemaId);
      kit.publishRaw(topic, 0, "run-1/c", null);
      kit.publishRaw(topic, 0, "run-1/d", misKeyed);
      kit.publish(0, request("run-1", "good", 1, "poison"));
      List<TaskResult> results = results(reports.awaitUntil(r -> !results(r).isEmpty()));
      List<ConsumerRecord<String, byte[]>> letters =
          deadLetters.awaitUntil(r -> r.size() >= 4).stream()
              .sorted(
                  Comparator.comparing(r -> Long.parseLong(header(r, DeadLetterHeaders.OFFSET))))
              .toList();

      // then: the good request completed
      assertThat(results)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getTaskId()).isEqualTo("good");
                assertThat(r.getStatus()).isEqualTo(TaskOutcome.SUCCEEDED);
              });
      assertThat(executed).containsExactly("good");

      // and: each poison record is on the dead-letter topic (spread by key), as it was, with
      // headers
      assertThat(letters)
          .extracting(ConsumerRecord::key)
          .containsExactly("run-1/a", "run-1/b", "run-1/c", "run-1/d");
      assertThat(letters.get(0).value()).isEqualTo(garbage);
      assertThat(letters.get(1).value()).isEqualTo(unknownSchemaId);
      assertThat(letters.get(2).value()).isNull();
      assertThat(letters.get(3).value()).isEqualTo(misKeyed);
      for (int i = 0; i < 4; i++) {
        ConsumerRecord<String, byte[]> letter = letters.get(i);
        assertThat(header(letter, DeadLetterHeaders.TOPIC)).isEqualTo(topic);
        assertThat(header(letter, DeadLetterHeaders.PARTITION)).isEqualTo("0");
        assertThat(header(letter, DeadLetterHeaders.OFFSET)).isEqualTo(String.valueOf(i));
        assertThat(header(letter, DeadLetterHeaders.COMPONENT)).isEqualTo("worker:poison");
      }
      assertThat(header(letters.get(0), DeadLetterHeaders.ERROR_CLASS))
          .isEqualTo(UndecodableRecordException.class.getName());
      assertThat(header(letters.get(1), DeadLetterHeaders.ERROR_MESSAGE))
          .contains("schema id 987654");
      assertThat(header(letters.get(2), DeadLetterHeaders.ERROR_MESSAGE)).contains("no value");
      assertThat(header(letters.get(3), DeadLetterHeaders.ERROR_MESSAGE))
          .contains("record key 'run-1/d'");
      await() // counted once its transaction has committed, a moment after the record shows
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(worker.deadLettered()).isEqualTo(4));
      kit.awaitCommittedOffset("poison", 0, 5);
    }
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
