package io.weft.core.metrics;

import io.weft.core.metrics.WeftMeter.Kind;
import java.util.List;

/** Every meter of Weft's own, by component: the source of the generated metrics reference. */
public final class WeftMeters {

  private WeftMeters() {}

  private static final String COORDINATOR = "coordinator";
  private static final String WORKER = "worker";
  private static final String INFERENCE = "inference";

  private static final List<String> NONE = List.of();
  private static final List<String> WORKFLOW = List.of("workflow");
  private static final List<String> TYPE = List.of("type");

  // the coordinator

  public static final WeftMeter RUNS_STARTED =
      new WeftMeter(
          COORDINATOR, "weft.runs.started", Kind.COUNTER, null, WORKFLOW, "Runs started.");
  public static final WeftMeter RUNS_SUCCEEDED =
      new WeftMeter(
          COORDINATOR, "weft.runs.succeeded", Kind.COUNTER, null, WORKFLOW, "Runs succeeded.");
  public static final WeftMeter RUNS_FAILED =
      new WeftMeter(COORDINATOR, "weft.runs.failed", Kind.COUNTER, null, WORKFLOW, "Runs failed.");
  public static final WeftMeter RUNS_CANCELLED =
      new WeftMeter(
          COORDINATOR, "weft.runs.cancelled", Kind.COUNTER, null, WORKFLOW, "Runs cancelled.");
  public static final WeftMeter HTTP_REFUSED =
      new WeftMeter(
          COORDINATOR,
          "weft.http.refused",
          Kind.COUNTER,
          null,
          List.of("reason"),
          "Requests to the query API and the web UI refused: too_many_headers (431),"
              + " body_too_large (413), uri_too_long (414), bad_request (400: a malformed path,"
              + " query or parameter), unauthenticated (401: no valid bearer token), forbidden"
              + " (403: the token lacks the scope). A worker's metrics server counts its"
              + " unauthenticated and forbidden requests here too.");
  public static final WeftMeter RUNS_IN_FLIGHT =
      new WeftMeter(
          COORDINATOR,
          "weft.runs.in.flight",
          Kind.GAUGE,
          null,
          NONE,
          "Runs started and not yet ended, of the partitions this coordinator instance owns.");
  public static final WeftMeter RUN_DURATION =
      new WeftMeter(
          COORDINATOR,
          "weft.run.duration",
          Kind.TIMER,
          null,
          List.of("workflow", "status"),
          "From a run's start to its end, by the status it ended with.");
  public static final WeftMeter DISPATCHES =
      new WeftMeter(
          COORDINATOR,
          "weft.task.dispatches",
          Kind.COUNTER,
          null,
          TYPE,
          "Task attempts dispatched to their task type's topic.");
  public static final WeftMeter DISPATCH_HOP =
      new WeftMeter(
          COORDINATOR,
          "weft.dispatch.hop",
          Kind.TIMER,
          null,
          NONE,
          "From the timestamp of an input that made tasks ready (a result, a start command) to the"
              + " coordinator's dispatch of them.");
  public static final WeftMeter EVENTS =
      new WeftMeter(
          COORDINATOR, "weft.run.events", Kind.COUNTER, null, NONE, "Run events written.");
  public static final WeftMeter STALE_INPUTS =
      new WeftMeter(
          COORDINATOR,
          "weft.inputs.stale",
          Kind.COUNTER,
          null,
          NONE,
          "Inputs that changed nothing: results of an older attempt or of a finished task or run,"
              + " duplicates.");
  public static final WeftMeter COORDINATOR_DEAD_LETTERS =
      new WeftMeter(
          COORDINATOR,
          "weft.coordinator.dead.letters",
          Kind.COUNTER,
          null,
          NONE,
          "Records the coordinator set aside on the dead-letter topic.");
  public static final WeftMeter INTERNAL_ERRORS =
      new WeftMeter(
          COORDINATOR,
          "weft.coordinator.internal.errors",
          Kind.COUNTER,
          null,
          NONE,
          "Runs failed with weft.InternalError because processing one of their inputs threw.");
  public static final WeftMeter RUNS_TOO_LARGE =
      new WeftMeter(
          COORDINATOR,
          "weft.runs.too.large",
          Kind.COUNTER,
          null,
          NONE,
          "Runs failed with weft.TooLarge: their state would have passed weft.max.record.bytes.");
  public static final WeftMeter REROUTED =
      new WeftMeter(
          COORDINATOR,
          "weft.inputs.rerouted",
          Kind.COUNTER,
          null,
          NONE,
          "Commands and reports found on another partition than their run's and sent on to it.");
  public static final WeftMeter TIMERS_DUE =
      new WeftMeter(
          COORDINATOR,
          "weft.timers.due",
          Kind.GAUGE,
          null,
          NONE,
          "Timers (timeouts, retry backoffs, retention) found due at the last punctuation: the"
              + " timer backlog.");
  public static final WeftMeter TIMER_LATENESS =
      new WeftMeter(
          COORDINATOR,
          "weft.timer.lateness",
          Kind.TIMER,
          null,
          NONE,
          "How long after it was due a timer fired: the punctuation lag.");

  // a worker

  public static final WeftMeter TASKS_STARTED =
      new WeftMeter(
          WORKER, "weft.worker.tasks.started", Kind.COUNTER, null, TYPE, "Attempts started.");
  public static final WeftMeter TASKS_SUCCEEDED =
      new WeftMeter(
          WORKER,
          "weft.worker.tasks.succeeded",
          Kind.COUNTER,
          null,
          TYPE,
          "Attempts whose handler returned outputs.");
  public static final WeftMeter TASKS_FAILED =
      new WeftMeter(
          WORKER,
          "weft.worker.tasks.failed",
          Kind.COUNTER,
          null,
          TYPE,
          "Attempts that failed: the handler threw, or its result was refused.");
  public static final WeftMeter TASKS_TIMED_OUT =
      new WeftMeter(
          WORKER,
          "weft.worker.tasks.timed.out",
          Kind.COUNTER,
          null,
          TYPE,
          "Attempts stopped because they passed their timeout.");
  public static final WeftMeter TASK_DURATION =
      new WeftMeter(
          WORKER,
          "weft.worker.task.duration",
          Kind.TIMER,
          null,
          List.of("type", "outcome"),
          "From an attempt's start to its handler's end, by outcome (succeeded, failed,"
              + " timed_out, cancelled).");
  public static final WeftMeter QUEUE_WAIT =
      new WeftMeter(
          WORKER,
          "weft.worker.queue.wait",
          Kind.TIMER,
          null,
          TYPE,
          "From an attempt's dispatch by the coordinator to its start on this worker.");
  public static final WeftMeter TASKS_IN_FLIGHT =
      new WeftMeter(
          WORKER,
          "weft.worker.tasks.in.flight",
          Kind.GAUGE,
          null,
          TYPE,
          "Attempts running on this worker.");
  public static final WeftMeter WINDOW_FILL =
      new WeftMeter(
          WORKER,
          "weft.worker.window.fill",
          Kind.GAUGE,
          null,
          TYPE,
          "Requests taken and not yet committed, as a fraction of the windows of the partitions"
              + " this worker owns (1: it takes nothing more until some commit).");
  public static final WeftMeter CONSUMER_LAG =
      new WeftMeter(
          WORKER,
          "weft.worker.consumer.lag",
          Kind.GAUGE,
          null,
          TYPE,
          "Requests on the task type's topic not yet read by this worker, over its partitions.");
  public static final WeftMeter SLOTS_NEEDED =
      new WeftMeter(
          WORKER,
          "weft.worker.slots.needed",
          Kind.GAUGE,
          null,
          TYPE,
          "Handler slots this worker's share of the task type needs (ScalingAdvice): its recent"
              + " starts per second x the recent mean duration, plus its consumer lag x that"
              + " duration / 300 s; summed over a type's workers and divided by"
              + " worker.concurrency, the processes to run, as weft scale computes them.");
  public static final WeftMeter TASKS_HELD =
      new WeftMeter(
          WORKER,
          "weft.worker.tasks.held",
          Kind.GAUGE,
          null,
          TYPE,
          "Requests taken and waiting for resources: what their tasks declare does not fit beside"
              + " the attempts running now (worker.capacity.*). Steadily above 0, the pool needs"
              + " more or larger workers.");
  public static final WeftMeter CAPACITY_USED =
      new WeftMeter(
          WORKER,
          "weft.worker.capacity.used",
          Kind.GAUGE,
          null,
          List.of("resource"),
          "What the attempts running on this worker declared, as a fraction of its capacity"
              + " (worker.capacity.*), per resource: cpu, memory, gpu (0 with no GPU).");
  public static final WeftMeter TRANSACTION_DURATION =
      new WeftMeter(
          WORKER,
          "weft.worker.transaction.duration",
          Kind.TIMER,
          null,
          TYPE,
          "Time to commit one transaction of results and input offsets.");
  public static final WeftMeter TRANSACTION_RESULTS =
      new WeftMeter(
          WORKER,
          "weft.worker.transaction.results",
          Kind.SUMMARY,
          "results",
          TYPE,
          "Results committed per transaction.");
  public static final WeftMeter HANDLER_CPU =
      new WeftMeter(
          WORKER,
          "weft.worker.handler.cpu",
          Kind.TIMER,
          null,
          TYPE,
          "CPU time of the thread that ran an attempt's handler (threads it started itself are not"
              + " counted), plus that of the program an exec task ran.");
  public static final WeftMeter PROGRAM_PEAK_MEMORY =
      new WeftMeter(
          WORKER,
          "weft.worker.program.peak.memory",
          Kind.SUMMARY,
          "bytes",
          TYPE,
          "Peak resident memory of the program an exec task's attempt ran (its process tree,"
              + " sampled every 100 ms).");
  public static final WeftMeter HANDLER_ALLOCATED =
      new WeftMeter(
          WORKER,
          "weft.worker.handler.allocated",
          Kind.SUMMARY,
          "bytes",
          TYPE,
          "Heap bytes allocated by the thread that ran an attempt's handler: the JVM cannot tell an"
              + " attempt's peak memory, only what its thread allocated.");
  public static final WeftMeter PROGRESS_REPORTS =
      new WeftMeter(
          WORKER,
          "weft.worker.progress.reports",
          Kind.COUNTER,
          null,
          TYPE,
          "Progress reports of handlers, such as a training's epochs with their metrics.");
  public static final WeftMeter WORKER_DEAD_LETTERS =
      new WeftMeter(
          WORKER,
          "weft.worker.dead.letters",
          Kind.COUNTER,
          null,
          TYPE,
          "Requests set aside on the dead-letter topic (undecodable or invalid).");

  // the inference service

  public static final WeftMeter INFERENCE_REQUESTS =
      new WeftMeter(
          INFERENCE,
          "weft.inference.requests",
          Kind.COUNTER,
          null,
          List.of("model", "version", "status"),
          "Inference requests answered, by model, version and HTTP status code.");
  public static final WeftMeter INFERENCE_REFUSED =
      new WeftMeter(
          INFERENCE,
          "weft.inference.refused",
          Kind.COUNTER,
          null,
          List.of("reason"),
          "Inference requests refused with a 4xx, by reason: body_too_large (413),"
              + " tensor_too_large (413), uri_too_long (414), too_many_headers (431),"
              + " headers_too_large (431), bad_request (400), not_found (404),"
              + " method_not_allowed (405), unauthenticated (401: no valid bearer token),"
              + " forbidden (403: the token lacks the scope).");
  public static final WeftMeter INFERENCE_LATENCY =
      new WeftMeter(
          INFERENCE,
          "weft.inference.latency",
          Kind.TIMER,
          null,
          List.of("model", "version"),
          "From reading an inference request to its answer written.");
  public static final WeftMeter INFERENCE_BATCH =
      new WeftMeter(
          INFERENCE,
          "weft.inference.batch.size",
          Kind.SUMMARY,
          "rows",
          List.of("model"),
          "Rows per forward pass.");
  public static final WeftMeter MODEL_LOADS =
      new WeftMeter(
          INFERENCE,
          "weft.inference.model.loads",
          Kind.COUNTER,
          null,
          List.of("model", "version"),
          "Model versions loaded for serving, the first one of a model or a swap to another.");

  /** Every meter above, in order. */
  public static final List<WeftMeter> ALL =
      List.of(
          RUNS_STARTED,
          RUNS_SUCCEEDED,
          RUNS_FAILED,
          RUNS_CANCELLED,
          HTTP_REFUSED,
          RUNS_IN_FLIGHT,
          RUN_DURATION,
          DISPATCHES,
          DISPATCH_HOP,
          EVENTS,
          STALE_INPUTS,
          COORDINATOR_DEAD_LETTERS,
          INTERNAL_ERRORS,
          RUNS_TOO_LARGE,
          REROUTED,
          TIMERS_DUE,
          TIMER_LATENESS,
          TASKS_STARTED,
          TASKS_SUCCEEDED,
          TASKS_FAILED,
          TASKS_TIMED_OUT,
          TASK_DURATION,
          QUEUE_WAIT,
          TASKS_IN_FLIGHT,
          WINDOW_FILL,
          CONSUMER_LAG,
          SLOTS_NEEDED,
          TASKS_HELD,
          CAPACITY_USED,
          TRANSACTION_DURATION,
          TRANSACTION_RESULTS,
          HANDLER_CPU,
          HANDLER_ALLOCATED,
          PROGRAM_PEAK_MEMORY,
          PROGRESS_REPORTS,
          WORKER_DEAD_LETTERS,
          INFERENCE_REQUESTS,
          INFERENCE_REFUSED,
          INFERENCE_LATENCY,
          INFERENCE_BATCH,
          MODEL_LOADS);
}
