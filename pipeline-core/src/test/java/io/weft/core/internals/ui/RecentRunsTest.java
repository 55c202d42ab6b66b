package io.weft.core.internals.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentRunsTest {

  private static byte[] event(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<byte[]> events) {
    return events.stream().map(e -> new String(e, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void shouldKeepEachRunsEventsInTheOrderTheyCame() {
    RecentRuns runs = new RecentRuns(10);
    runs.add("a", event("a0"));
    runs.add("b", event("b0"));
    runs.add("a", event("a1"));

    assertThat(texts(runs.events("a"))).containsExactly("a0", "a1");
    assertThat(texts(runs.events("b"))).containsExactly("b0");
    assertThat(runs.events("unknown")).isEmpty();
  }

  @Test
  void shouldDropTheLeastRecentlyActiveRunsWholeWhenOverTheLimit() {
    // given: three runs, "a" the least recently active though it started first
    RecentRuns runs = new RecentRuns(5);
    runs.add("a", event("a0"));
    runs.add("b", event("b0"));
    runs.add("b", event("b1"));
    runs.add("c", event("c0"));
    runs.add("b", event("b2"));

    // when: one event more than the limit
    runs.add("c", event("c1"));

    // then: "a" went, whole; the others are complete
    assertThat(runs.events("a")).isEmpty();
    assertThat(texts(runs.events("b"))).containsExactly("b0", "b1", "b2");
    assertThat(texts(runs.events("c"))).containsExactly("c0", "c1");
    assertThat(runs.size()).isEqualTo(5);
  }

  @Test
  void shouldKeepTheActiveRunEvenWhenItAloneIsOverTheLimit() {
    RecentRuns runs = new RecentRuns(2);
    runs.add("old", event("o0"));
    for (int i = 0; i < 4; i++) {
      runs.add("big", event("g" + i));
    }

    assertThat(runs.events("old")).isEmpty();
    assertThat(texts(runs.events("big"))).containsExactly("g0", "g1", "g2", "g3");
  }
}
