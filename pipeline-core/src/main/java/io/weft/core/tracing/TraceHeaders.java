package io.weft.core.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
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
    return Span.fromContext(W3C.extract(Context.root(), headers, GETTER)).getSpanContext();
  }
}
