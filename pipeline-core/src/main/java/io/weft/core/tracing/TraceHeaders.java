package io.weft.core.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** A span context in Kafka record headers, as W3C {@code traceparent} (and {@code tracestate}). */
public final class TraceHeaders {

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapSetter<Headers> SETTER =
      (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
      };

  private static final TextMapGetter<Headers> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
          List<String> keys = new ArrayList<>();
          for (Header header : headers) {
            keys.add(header.key());
          }
          return keys;
        }

        @Override
        public String get(Headers headers, String key) {
          Header header = headers == null ? null : headers.lastHeader(key);
          return header == null || header.value() == null
              ? null
              : new String(header.value(), StandardCharsets.UTF_8);
        }
      };

  private TraceHeaders() {}

  /** Adds {@code span} to {@code headers}, replacing a context they carried. */
  public static Headers add(Headers headers, SpanContext span) {
    W3C.inject(Context.root().with(Span.wrap(span)), headers, SETTER);
    return headers;
  }

  /** The {@code traceparent} header's name. */
  public static final String TRACEPARENT = "traceparent";

  /** {@code span}'s {@code traceparent} value, to add to many records' headers. */
  public static byte[] traceparent(SpanContext span) {
    return ("00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex())
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The span context {@code headers} carry; invalid if none. */
  public static SpanContext read(Headers headers) {
    Header traceparent = headers == null ? null : headers.lastHeader(TRACEPARENT);
    if (traceparent == null) {
      return SpanContext.getInvalid();
    }
    byte[] value = traceparent.value();
    if (value != null
        && value.length == VERSION_00_LENGTH
        && headers.lastHeader(TRACESTATE) == null) {
      SpanContext direct = version00(value);
      if (direct != null) {
        return direct;
      }
    }
    return Span.fromContext(W3C.extract(Context.root(), headers, GETTER)).getSpanContext();
  }

  private static final String TRACESTATE = "tracestate";

  /** {@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}. */
  private static final int VERSION_00_LENGTH = 55;

  /**
   * The span context of a version-00 {@code traceparent} without a {@code tracestate}, the one the
   * coordinator writes on every task request, read without the propagator's general parsing; null
   * for anything else, which the propagator then reads (and rejects, if malformed).
   */
  private static SpanContext version00(byte[] value) {
    if (value[0] != '0'
        || value[1] != '0'
        || value[2] != '-'
        || value[35] != '-'
        || value[52] != '-') {
      return null;
    }
    int flags = Character.digit(value[53], 16) << 4 | Character.digit(value[54], 16);
    if (flags < 0 || Character.isUpperCase(value[53]) || Character.isUpperCase(value[54])) {
      return null;
    }
    SpanContext span =
        SpanContext.createFromRemoteParent(
            new String(value, 3, 32, StandardCharsets.ISO_8859_1),
            new String(value, 36, 16, StandardCharsets.ISO_8859_1),
            TraceFlags.fromByte((byte) flags),
            TraceState.getDefault());
    return span.isValid() ? span : null;
  }
}
