package io.weft.it;

import io.weft.schemas.results.TaskHeartbeat;
import io.weft.schemas.results.TaskProgress;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Test handlers from lambdas, and filters over report records. */
final class Handlers {

  /** The body of a test handler. */
  @FunctionalInterface
  interface Body {
    TaskOutputs execute(TaskContext context) throws Exception;
  }

  private Handlers() {}

  static TaskHandler handler(String type, Body body) {
    return new TaskHandler() {
      @Override
      public String taskType() {
        return type;
      }

      @Override
      public String description() {
        return "test handler of " + type;
      }

      @Override
      public TaskOutputs execute(TaskContext context) throws Exception {
        return body.execute(context);
      }
    };
  }

  static List<TaskResult> results(List<ConsumerRecord<String, TaskReport>> records) {
    return of(records, TaskResult.class);
  }

  static List<TaskHeartbeat> heartbeats(List<ConsumerRecord<String, TaskReport>> records) {
    return of(records, TaskHeartbeat.class);
  }

  static List<TaskProgress> progress(List<ConsumerRecord<String, TaskReport>> records) {
    return of(records, TaskProgress.class);
  }

  /** The run id a report is about. */
  static String runId(TaskReport report) {
    Object body = report.getReport();
    if (body instanceof TaskResult result) {
      return result.getRunId();
    }
    if (body instanceof TaskHeartbeat heartbeat) {
      return heartbeat.getRunId();
    }
    return ((TaskProgress) body).getRunId();
  }

  private static <T> List<T> of(List<ConsumerRecord<String, TaskReport>> records, Class<T> type) {
    return records.stream()
        .map(r -> r.value().getReport())
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }
}
