package io.weft.core.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";

  @Test
  void shouldReadWhatTheCoordinatorWrites() {
    // given: the header of a sampled run span and of one not sampled
    SpanContext sampled = RunTraceIds.runSpan("run-1");
    SpanContext unsampled =
        SpanContext.createFromRemoteParent(
            TRACE, SPAN, TraceFlags.getDefault(), TraceState.getDefault());

    // when / then: each reads back as the span context written
    for (SpanContext span : List.of(sampled, unsampled)) {
      Headers headers = new RecordHeaders().add("traceparent", TraceHeaders.traceparent(span));
      assertThat(TraceHeaders.read(headers)).isEqualTo(span);
      assertThat(TraceHeaders.read(TraceHeaders.add(new RecordHeaders(), span))).isEqualTo(span);
    }
  }

  @Test
  void shouldReadEveryHeaderAsTheW3cPropagatorDoes() {
    // given: well-formed traceparents, each with one character replaced (from a fixed seed), and
    // some oddities: another version, a tracestate, no header, an empty one
    Random random = new Random(42);
    String wellFormed = "00-" + TRACE + "-" + SPAN + "-01";
    List<Headers> cases = new ArrayList<>();
    cases.add(new RecordHeaders());
    cases.add(header(""));
    cases.add(header(wellFormed));
    cases.add(header("00-" + TRACE + "-" + SPAN + "-00"));
    cases.add(header("01-" + TRACE + "-" + SPAN + "-01-more"));
    cases.add(header("00-" + "0".repeat(32) + "-" + SPAN + "-01"));
    cases.add(header("00-" + TRACE + "-" + "0".repeat(16) + "-01"));
    cases.add(header(wellFormed.toUpperCase()));
    cases.add(header(wellFormed).add("tracestate", "a=1".getBytes(StandardCharsets.UTF_8)));
    String alphabet = "0123456789abcdefABCDEF-xz ";
    for (int i = 0; i < 2_000; i++) {
      char[] mutated = wellFormed.toCharArray();
      mutated[random.nextInt(mutated.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
      cases.add(header(new String(mutated)));
    }

    // when / then: the same span context as the propagator's
    for (Headers headers : cases) {
      assertThat(TraceHeaders.read(headers)).as("%s", headers).isEqualTo(propagated(headers));
    }
  }

  private static Headers header(String traceparent) {
    return new RecordHeaders().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
  }

  private static SpanContext propagated(Headers headers) {
    return Span.fromContext(
            W3CTraceContextPropagator.getInstance()
                .extract(
                    Context.root(),
                    headers,
                    new TextMapGetter<Headers>() {
                      @Override
                      public Iterable<String> keys(Headers carrier) {
                        List<String> keys = new ArrayList<>();
                        for (Header header : carrier) {
                          keys.add(header.key());
                        }
                        return keys;
                      }

                      @Override
                      public String get(Headers carrier, String key) {
                        Header header = carrier.lastHeader(key);
                        return header == null
                            ? null
                            : new String(header.value(), StandardCharsets.UTF_8);
                      }
                    }))
        .getSpanContext();
  }
}
