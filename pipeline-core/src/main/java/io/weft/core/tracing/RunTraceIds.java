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

  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
          });

  /** The run's trace id: 32 hex digits, the first 16 bytes of the SHA-256 of the run id. */
  public static String traceId(String runId) {
    return nonZero(digest(runId), 0, 16);
  }

  /** The id of the run's span: 16 hex digits, the next 8 bytes of that hash. */
  public static String runSpanId(String runId) {
    return nonZero(digest(runId), 16, 8);
  }

  /**
   * The run span as a remote parent, sampled: what a task attempt's span is a child of ({@link
   * WeftTracing#runSpan} applies the configured sampler).
   */
  public static SpanContext runSpan(String runId) {
    byte[] hash = digest(runId);
    return SpanContext.createFromRemoteParent(
        nonZero(hash, 0, 16),
        nonZero(hash, 16, 8),
        TraceFlags.getSampled(),
        TraceState.getDefault());
  }

  private static byte[] digest(String runId) {
    return SHA_256.get().digest(runId.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code bytes} of {@code hash} from {@code from} as hex; an all-zero id is invalid: never. */
  private static String nonZero(byte[] hash, int from, int bytes) {
    boolean zero = true;
    for (int i = from; i < from + bytes; i++) {
      zero &= hash[i] == 0;
    }
    if (zero) {
      hash[from + bytes - 1] = 1;
    }
    return HEX.formatHex(hash, from, from + bytes);
  }
}
