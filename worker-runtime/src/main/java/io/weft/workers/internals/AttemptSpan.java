package io.weft.workers.internals;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.weft.core.tracing.WeftTracing;
import io.weft.schemas.tasks.TaskRequest;
import java.time.Duration;
import java.time.Instant;

/**
 * The span of one attempt, with tracing on ({@link WeftTracing}): {@code task <id>}, a child of its
 * run's span (the {@code traceparent} of its request), from its dispatch to its end, its queue wait
 * (dispatch to start here) as the attribute {@code weft.queue.wait.ms}; current on the handler's
 * thread while it runs, so that spans the handler starts are its children. On the handler's thread.
 */
final class AttemptSpan {

  /** What an attempt without tracing gets. */
  static final AttemptSpan NONE = new AttemptSpan(null, null);

  private final Span span;
  private final Scope scope;

  private AttemptSpan(Span span, Scope scope) {
    this.span = span;
    this.scope = scope;
  }

  /** Starts the span of {@code request}, taken at {@code startedAt}, under {@code run}. */
  static AttemptSpan start(
      WeftTracing tracing, SpanContext run, TaskRequest request, Instant startedAt) {
    if (!tracing.enabled() || !run.isValid()) {
      return NONE;
    }
    Instant dispatched = request.getScheduledAt();
    if (dispatched == null || dispatched.isAfter(startedAt)) { // another machine's clock
      dispatched = startedAt;
    }
    Span span =
        tracing
            .tracer()
            .spanBuilder("task " + request.getTaskId())
            .setParent(Context.root().with(Span.wrap(run)))
            .setSpanKind(SpanKind.CONSUMER)
            .setStartTimestamp(dispatched)
            .setAttribute("weft.run.id", request.getRunId())
            .setAttribute("weft.task.attempt", request.getAttempt())
            .setAttribute("weft.task.type", request.getType())
            .setAttribute("weft.queue.wait.ms", Duration.between(dispatched, startedAt).toMillis())
            .startSpan();
    return new AttemptSpan(span, span.makeCurrent());
  }

  /** Ends the span at {@code now}: an error if the attempt failed, with {@code error}. */
  void end(boolean succeeded, String error, Instant now) {
    if (span == null) {
      return;
    }
    scope.close();
    if (!succeeded) {
      span.setStatus(StatusCode.ERROR, error);
    }
    span.end(now);
  }
}
