package io.weft.core.tracing;

import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * Random ids, except for a run span, which gets its run's ids ({@link RunTraceIds}): the span that
 * covers a whole run is created when the run ends, by whichever coordinator instance then owns it,
 * and must carry the ids its task spans already named as their parent.
 */
final class RunIdGenerator implements IdGenerator {

  private static final ThreadLocal<String> RUN = new ThreadLocal<>();

  /** Runs {@code create} with the ids of {@code runId}'s run span for the root span it starts. */
  static <T> T forRun(String runId, java.util.function.Supplier<T> create) {
    RUN.set(runId);
    try {
      return create.get();
    } finally {
      RUN.remove();
    }
  }

  @Override
  public String generateSpanId() {
    String runId = RUN.get();
    return runId == null ? IdGenerator.random().generateSpanId() : RunTraceIds.runSpanId(runId);
  }

  @Override
  public String generateTraceId() {
    String runId = RUN.get();
    return runId == null ? IdGenerator.random().generateTraceId() : RunTraceIds.traceId(runId);
  }
}
