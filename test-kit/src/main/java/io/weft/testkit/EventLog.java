package io.weft.testkit;

import io.weft.core.api.WeftTopics;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.events.RunCancelled;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.schemas.tasks.TaskRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Deserializer;
import org.awaitility.Awaitility;

/** What an installation has committed to its topics, read from their beginnings. */
public final class EventLog {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final String bootstrapServers;
  private final String schemaRegistryUrl;
  private final WeftTopics topics;

  EventLog(String bootstrapServers, String schemaRegistryUrl, WeftTopics topics) {
    GeneratedClasses.trust();
    this.bootstrapServers = bootstrapServers;
    this.schemaRegistryUrl = schemaRegistryUrl;
    this.topics = topics;
  }

  /** Every committed run event, in each partition's order. */
  public List<RunEvent> events() {
    return read(topics.events(), RunEvent.class);
  }

  /**
   * The committed events of a run once it has ended, waiting until its final event is committed: a
   * status read through the query API can run ahead of the transaction that records it.
   */
  public List<RunEvent> runLog(String runId) {
    List<List<RunEvent>> found = new ArrayList<>();
    Awaitility.await()
        .atMost(WAIT)
        .until(
            () -> {
              List<RunEvent> log =
                  events().stream().filter(e -> e.getRunId().equals(runId)).toList();
              found.add(log);
              return log.stream().anyMatch(EventLog::endsRun);
            });
    return found.get(found.size() - 1);
  }

  /** Every committed request on a task type's topic. */
  public List<TaskRequest> requests(String type) {
    return read(topics.tasks(type), TaskRequest.class);
  }

  /** Every committed value of {@code topic}, decoded as {@code type}. */
  public <V> List<V> read(String topic, Class<V> type) {
    Deserializer<V> values =
        new AvroDeserializer<>(type, Map.of("schema.registry.url", schemaRegistryUrl));
    return CommittedRecords.readAll(bootstrapServers, topic, values, WAIT);
  }

  /**
   * How many committed results ({@code TaskResult}) each attempt has, by {@code
   * runId/taskId/attempt}: exactly-once means one each, however often an attempt was executed.
   */
  public Map<String, Long> resultsPerAttempt() {
    return read(topics.results(), TaskReport.class).stream()
        .map(TaskReport::getReport)
        .filter(TaskResult.class::isInstance)
        .map(TaskResult.class::cast)
        .collect(
            Collectors.groupingBy(
                r -> r.getRunId() + "/" + r.getTaskId() + "/" + r.getAttempt(),
                Collectors.counting()));
  }

  /**
   * How many {@code TaskSucceeded} events each task of {@code events} has, by {@code runId/taskId}:
   * exactly-once means one each.
   */
  public static Map<String, Long> successesPerTask(Collection<RunEvent> events) {
    return events.stream()
        .filter(e -> e.getEvent() instanceof TaskSucceeded)
        .collect(
            Collectors.groupingBy(
                e -> e.getRunId() + "/" + ((TaskSucceeded) e.getEvent()).getTaskId(),
                Collectors.counting()));
  }

  private static boolean endsRun(RunEvent event) {
    Object e = event.getEvent();
    return e instanceof RunSucceeded || e instanceof RunFailed || e instanceof RunCancelled;
  }
}
