package io.weft.core.internals.coordinator;

import io.weft.core.api.DeadLetters;
import io.weft.core.api.TaskRequestHeaders;
import io.weft.core.api.WorkflowDefinition;
import io.weft.core.tracing.TraceHeaders;
import io.weft.core.tracing.WeftTracing;
import io.weft.schemas.commands.CancelRun;
import io.weft.schemas.commands.PauseRun;
import io.weft.schemas.commands.ResumeRun;
import io.weft.schemas.commands.RetryRun;
import io.weft.schemas.commands.RunCommand;
import io.weft.schemas.commands.StartRun;
import io.weft.schemas.definitions.WorkflowDef;
import io.weft.schemas.events.RunCancelled;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.TaskTimedOut;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.results.TaskHeartbeat;
import io.weft.schemas.results.TaskProgress;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.serde.UndecodableRecordException;
import io.weft.schemas.tasks.TaskRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's processor: decodes commands and reports (setting undecodable or invalid ones
 * aside on the dead-letter topic), asks the {@link RunEngine} what to do, and writes the answer:
 * the run's state, its events, task requests and timers. A wall-clock punctuator fires due timers.
 */
final class RunProcessor implements Processor<byte[], byte[], Object, Object> {

  private static final Logger log = LoggerFactory.getLogger(RunProcessor.class);

  /** Header of a record the coordinator moved to its run's partition: where it was found. */
  static final String REROUTED_FROM = "weft.rerouted-from";

  private final RunEngine engine;
  private final Deserializer<RunCommand> commands;
  private final Deserializer<TaskReport> reports;
  private final String commandsTopic;
  private final ProcessingSettings settings;
  private final CoordinatorMetrics metrics;
  private final Map<String, WorkflowDefinition> converted;
  private ProcessorContext<Object, Object> context;
  private RunStore runs;
  private boolean migrated;
  private KeyValueStore<String, String> timers;
  private DefinitionLookup definitions;

  RunProcessor(
      RunEngine engine,
      Deserializer<RunCommand> commands,
      Deserializer<TaskReport> reports,
      String commandsTopic,
      ProcessingSettings settings,
      CoordinatorMetrics metrics,
      Map<String, WorkflowDefinition> converted) {
    this.engine = engine;
    this.commands = commands;
    this.reports = reports;
    this.commandsTopic = commandsTopic;
    this.settings = settings;
    this.metrics = metrics;
    this.converted = converted;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    runs =
        new RunStore(
            context.getStateStore(CoordinatorTopology.RUNS_STORE),
            context.getStateStore(CoordinatorTopology.CHILDREN_STORE),
            context.getStateStore(CoordinatorTopology.PARAMS_STORE),
            context.getStateStore(CoordinatorTopology.INDEX_STORE),
            settings.maxRecordBytes());
    timers = context.getStateStore(CoordinatorTopology.TIMERS_STORE);
    KeyValueStore<String, WorkflowDef> global =
        context.getStateStore(CoordinatorTopology.DEFINITIONS_STORE);
    definitions = new DefinitionLookup(global, converted);
    context.schedule(
        settings.timerInterval(), PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    migrateOnce();
    String topic = context.recordMetadata().map(m -> m.topic()).orElse("?");
    String runId = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    Object input;
    try {
      input =
          topic.equals(commandsTopic)
              ? commands.deserialize(topic, record.headers(), record.value())
              : reports.deserialize(topic, record.headers(), record.value());
    } catch (UndecodableRecordException e) {
      deadLetter(record, locate(e));
      return;
    }
    if (input == null) {
      deadLetter(
          record,
          new InvalidInputException(
              "a null value (tombstone) is not a command or report, on topic '" + topic + "'"));
      return;
    }
    Object body = input instanceof RunCommand c ? c.getCommand() : ((TaskReport) input).getReport();
    String bodyRunId = Inputs.runIdOf(body);
    if (runId == null || !runId.equals(bodyRunId)) {
      deadLetter(
          record,
          new InvalidInputException(
              "record key '"
                  + runId
                  + "' is not the run id '"
                  + bodyRunId
                  + "' of its "
                  + body.getClass().getSimpleName()
                  + ", on topic '"
                  + topic
                  + "'"));
      return;
    }
    int partition = context.recordMetadata().map(m -> m.partition()).orElse(-1);
    int expected = RunPartitioner.of(record.key(), settings.partitions());
    if (partition >= 0 && partition != expected) {
      reroute(record, topic, partition, expected);
      return;
    }
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    write(
        runId,
        body,
        underPolicy(runId, body, record, now, () -> decide(runId, body, now)),
        record.timestamp(),
        now);
  }

  /**
   * A run's input on another partition than its run's (a producer with another partitioner, or an
   * explicit partition): the run's state is in the task of its own partition, so the record goes
   * there, appended to the same topic in this transaction, and is processed when it arrives.
   */
  private void reroute(Record<byte[], byte[]> record, String topic, int partition, int expected) {
    metrics.reroutedOne();
    log.debug(
        "Run {}: input on {}-{} belongs to partition {}; sending it there",
        new String(record.key(), StandardCharsets.UTF_8),
        topic,
        partition,
        expected);
    record.headers().remove(REROUTED_FROM);
    record.headers().add(REROUTED_FROM, (topic + "-" + partition).getBytes(StandardCharsets.UTF_8));
    context.forward(record, CoordinatorTopology.REROUTE_SINK);
  }

  /**
   * The failure policy: if deciding on one run's input or timer throws (a bug, or a run the engine
   * cannot handle), that run fails alone with {@code weft.InternalError}, its input (if a record)
   * is copied to the dead-letter topic, and the partition goes on. Kafka exceptions (the broker, a
   * store) are not about one run: they go to the stream thread. The state is read again, since the
   * engine may have changed the copy it was given.
   */
  private Step underPolicy(
      String runId,
      Object input,
      Record<byte[], byte[]> record,
      Instant now,
      Supplier<Step> decide) {
    try {
      return decide.get();
    } catch (KafkaException notAboutThisRun) {
      throw notAboutThisRun;
    } catch (RuntimeException e) {
      metrics.internalError();
      log.error("Run {}: processing failed; the run fails with weft.InternalError", runId, e);
      if (record != null) {
        deadLetter(record, e);
      }
      runs.evict(runId);
      return RunFailures.internalError(runId, input, runs.get(runId), e, now);
    }
  }

  private Step decide(String runId, Object body, Instant now) {
    RunState state = runs.get(runId);
    Step step;
    if (body instanceof StartRun start) {
      step =
          engine.start(
              start,
              definitions.find(start.getWorkflowName(), start.getWorkflowVersion()),
              state,
              now);
    } else {
      WorkflowDefinition definition =
          state == null
              ? null
              : definitions.find(state.getWorkflowName(), state.getWorkflowVersion());
      if (body instanceof CancelRun cancel) {
        step = engine.cancel(cancel, definition, state, now);
      } else if (RunFailures.isOrphaned(state, definition)) {
        step = RunFailures.definitionGone(state, now);
      } else if (body instanceof RetryRun retry) {
        step = engine.retry(retry, definition, state, now);
      } else if (body instanceof PauseRun pause) {
        step = engine.pause(pause, definition, state, now);
      } else if (body instanceof ResumeRun resume) {
        step = engine.resume(resume, definition, state, now);
      } else if (body instanceof TaskResult result) {
        step = engine.result(result, definition, state, now);
      } else if (body instanceof TaskHeartbeat heartbeat) {
        step = engine.heartbeat(heartbeat, definition, state, now);
      } else if (body instanceof TaskProgress progress) {
        step = engine.progress(progress, definition, state, now);
      } else {
        throw new IllegalStateException("unexpected input " + body.getClass());
      }
    }
    return step;
  }

  /** Before the first input or timer: stores of an earlier version get this one's layout. */
  private void migrateOnce() {
    if (!migrated) {
      migrated = true;
      int runs = this.runs.migrate();
      if (runs > 0) {
        log.info("Indexed {} runs stored by an earlier version", runs);
      }
    }
  }

  private void fireDueTimers(long wallClockMs) {
    migrateOnce();
    Instant now = Instant.ofEpochMilli(wallClockMs);
    List<String> due = new ArrayList<>();
    try (KeyValueIterator<String, String> it = timers.range(null, Timer.upperBound(now))) {
      it.forEachRemaining(kv -> due.add(kv.key));
    }
    metrics.timersDue(due.size());
    for (String key : due) {
      timers.delete(key);
      Timer timer = Timer.parse(key);
      metrics.timerFired(timer.at(), now);
      RunState state = runs.get(timer.runId());
      if (timer.kind() == Timer.Kind.EXPIRE) {
        expire(timer.runId(), state);
        continue;
      }
      WorkflowDefinition definition =
          state == null
              ? null
              : definitions.find(state.getWorkflowName(), state.getWorkflowVersion());
      Step step =
          underPolicy(
              timer.runId(),
              null,
              null,
              now,
              () ->
                  RunFailures.isOrphaned(state, definition)
                      ? RunFailures.definitionGone(state, now)
                      : engine.timer(timer, definition, state, now));
      write(timer.runId(), null, step, now);
    }
  }

  /** Deletes a finished run's state once its retention is over (a tombstone in the changelog). */
  private void expire(String runId, RunState state) {
    if (state != null && state.getStatus() != RunStatus.RUNNING) {
      runs.delete(runId);
      log.debug("Run {}: retention over, state deleted", runId);
    }
  }

  /** {@code headers} with the run's {@code traceparent}, if tracing is on (else null). */
  private static Headers traced(Headers headers, byte[] traceparent) {
    return traceparent == null ? headers : headers.add(TraceHeaders.TRACEPARENT, traceparent);
  }

  private void write(String runId, Object input, Step step, Instant now) {
    write(runId, input, step, -1, now);
  }

  /**
   * Writes what {@code step} decided: its state, events, dispatches and timers.
   *
   * @param inputTimestampMs the timestamp of the input record, or -1 for a timer
   */
  private void write(String runId, Object input, Step step, long inputTimestampMs, Instant now) {
    if (step.ignoredBecause() != null) {
      metrics.ignored(step.ignoredBecause());
      log.debug("Run {}: input ignored: {}", runId, step.ignoredBecause());
      return;
    }
    // the state changes only through events: an input that emitted none (a heartbeat of a
    // running task) leaves the store, and its changelog, alone
    if (step.state() != null && !step.events().isEmpty()) {
      step = store(runId, input, step, now);
      if (step.events().stream().anyMatch(Inputs::endsRun)) {
        Timer.expiry(step.state(), settings.runRetention()).ifPresent(t -> timers.put(t.key(), ""));
      }
    }
    long timestamp = now.toEpochMilli();
    WeftTracing tracer = WeftTracing.get();
    byte[] traceparent =
        tracer.enabled() && !(step.events().isEmpty() && step.requests().isEmpty())
            ? tracer.traceparent(runId)
            : null;
    for (RunEvent event : step.events()) {
      context.forward(
          new Record<>(runId, event, timestamp, traced(new RecordHeaders(), traceparent)),
          CoordinatorTopology.EVENTS_SINK);
      // stop signals for the workers: a run that ended early, an attempt that timed out
      if (event.getEvent() instanceof RunCancelled
          || event.getEvent() instanceof RunFailed
          || event.getEvent() instanceof TaskTimedOut) {
        context.forward(
            new Record<>(runId, event, timestamp), CoordinatorTopology.CANCELLATIONS_SINK);
      }
    }
    for (TaskRequest request : step.requests()) {
      Headers headers =
          traced(
              TaskRequestHeaders.add(
                  new RecordHeaders(), runId, request.getTaskId(), request.getAttempt()),
              traceparent);
      context.forward(
          new Record<>(runId + "/" + request.getTaskId(), request, timestamp, headers),
          CoordinatorTopology.TASKS_SINK);
    }
    for (Timer timer : step.droppedTimers()) {
      timers.delete(timer.key());
    }
    for (Timer timer : step.timers()) {
      timers.put(timer.key(), "");
    }
    metrics.applied(step, inputTimestampMs, now);
    if (tracer.enabled()) {
      RunSpans.ended(step);
    }
  }

  /**
   * Stores the step's state; a state over the size limit is not stored: the step is dropped and the
   * run fails instead, from its stored state, with {@code weft.TooLarge}. The step written is
   * returned.
   */
  private Step store(String runId, Object input, Step step, Instant now) {
    try {
      runs.put(runId, step.state(), step.events());
      return step;
    } catch (StateTooLargeException e) {
      metrics.failedTooLarge();
      String why =
          "the run's state would be "
              + e.size()
              + " bytes after "
              + (input == null ? "a timer" : "a " + input.getClass().getSimpleName())
              + ", over the limit of "
              + e.limit()
              + " bytes (weft.max.record.bytes); "
              + (input instanceof StartRun ? "its params are" : "its tasks' outputs are")
              + " too large (pass large data as artifacts)";
      log.warn("Run {}: fails with weft.TooLarge: {}", runId, why);
      runs.evict(runId); // the engine changed the copy it was given
      Step failed = RunFailures.tooLarge(runId, input, runs.get(runId), why, now);
      if (failed.state() == null || failed.events().isEmpty()) {
        return failed; // nothing stored to fail (a run that is not running): the step is dropped
      }
      try {
        runs.put(runId, failed.state(), failed.events());
      } catch (StateTooLargeException stillTooLarge) {
        // the stored state was just under the limit: keep the failed state without outputs
        // (they stay in the run's events)
        failed.state().getTasks().values().forEach(t -> t.setOutputs(new HashMap<>()));
        runs.put(runId, failed.state(), failed.events());
      }
      return failed;
    }
  }

  private UndecodableRecordException locate(UndecodableRecordException e) {
    return context.recordMetadata().map(m -> e.at(m.partition(), m.offset())).orElse(e);
  }

  private void deadLetter(Record<byte[], byte[]> record, RuntimeException error) {
    log.warn("Setting a record aside on the dead-letter topic: {}", error.getMessage());
    metrics.setAside();
    context.forward(
        DeadLetters.record(record, context.recordMetadata(), error, "coordinator"),
        CoordinatorTopology.DLQ_SINK);
  }
}
