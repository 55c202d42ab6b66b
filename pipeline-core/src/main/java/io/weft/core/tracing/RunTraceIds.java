package io.weft.core.tracing;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A run's trace: its trace id and the id of its run span follow from the run id alone (SHA-256), so
 * that the coordinator instance that dispatches a task, the worker that runs it and the instance
 * that sees the run end all name the same trace and parent without storing anything.
 */
public final class RunTraceIds {

  private static final HexFormat HEX = HexFormat.of();

  private RunTraceIds() {}

  /** The run's trace id: 32 hex digits. */
  public static String traceId(String runId) {
    return nonZero(digest("trace:" + runId), 16);
  }

  /** The id of the run's span: 16 hex digits. */
  public static String runSpanId(String runId) {
    return nonZero(digest("run:" + runId), 8);
  }

  /** The run span as a remote parent: what a task attempt's span is a child of. */
  public static SpanContext runSpan(String runId) {
    return SpanContext.createFromRemoteParent(
        traceId(runId), runSpanId(runId), TraceFlags.getSampled(), TraceState.getDefault());
  }

  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The first {@code bytes} of {@code hash} as hex; an all-zero id is invalid, so never that. */
  private static String nonZero(byte[] hash, int bytes) {
    boolean zero = true;
    for (int i = 0; i < bytes; i++) {
      zero &= hash[i] == 0;
    }
    if (zero) {
      hash[bytes - 1] = 1;
    }
    return HEX.formatHex(hash, 0, bytes);
  }
}
