package io.weft.workers.internals;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.weft.core.tracing.WeftTracing;
import io.weft.schemas.tasks.TaskRequest;
import java.time.Instant;

/**
 * The spans of one attempt, with tracing on ({@link WeftTracing}): {@code task <id>}, a child of
 * its run's span (the {@code traceparent} of its request), from its dispatch to its end, with two
 * children: {@code queue}, from its dispatch to its start here, and {@code execute <type>}, the
 * handler's run, current on the handler's thread meanwhile so that spans it starts are its
 * children. On the handler's thread.
 */
final class AttemptSpan {

  /** What an attempt without tracing gets. */
  static final AttemptSpan NONE = new AttemptSpan(null, null, null);

  private final Span attempt;
  private final Span execute;
  private final Scope scope;

  private AttemptSpan(Span attempt, Span execute, Scope scope) {
    this.attempt = attempt;
    this.execute = execute;
    this.scope = scope;
  }

  /** Starts the spans of {@code request}, taken at {@code startedAt}, under {@code run}. */
  static AttemptSpan start(
      WeftTracing tracing, SpanContext run, TaskRequest request, Instant startedAt) {
    if (!tracing.enabled() || !run.isValid()) {
      return NONE;
    }
    Tracer tracer = tracing.tracer();
    Instant dispatched = request.getScheduledAt();
    if (dispatched == null || dispatched.isAfter(startedAt)) { // another machine's clock
      dispatched = startedAt;
    }
    Span attempt =
        tracer
            .spanBuilder("task " + request.getTaskId())
            .setParent(Context.root().with(Span.wrap(run)))
            .setSpanKind(SpanKind.CONSUMER)
            .setStartTimestamp(dispatched)
            .setAttribute("weft.run.id", request.getRunId())
            .setAttribute("weft.task.id", request.getTaskId())
            .setAttribute("weft.task.attempt", request.getAttempt())
            .setAttribute("weft.task.type", request.getType())
            .startSpan();
    Context inAttempt = Context.root().with(attempt);
    tracer
        .spanBuilder("queue")
        .setParent(inAttempt)
        .setStartTimestamp(dispatched)
        .startSpan()
        .end(startedAt);
    Span execute =
        tracer
            .spanBuilder("execute " + request.getType())
            .setParent(inAttempt)
            .setStartTimestamp(startedAt)
            .startSpan();
    return new AttemptSpan(attempt, execute, execute.makeCurrent());
  }

  /** Ends the spans at {@code now}: an error if the attempt failed, with {@code error}. */
  void end(boolean succeeded, String error, Instant now) {
    if (attempt == null) {
      return;
    }
    scope.close();
    if (!succeeded) {
      execute.setStatus(StatusCode.ERROR, error);
      attempt.setStatus(StatusCode.ERROR, error);
    }
    execute.end(now);
    attempt.end(now);
  }
}
