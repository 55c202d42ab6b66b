package io.weft.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Weft's meters follow Prometheus' naming conventions, and each is used as its kind. */
class WeftMetersTest {

  @Test
  void shouldExposeEveryMeterUnderAWeftNameWithItsBaseUnitAndTotalForCounters() {
    Set<String> names = new HashSet<>();
    for (WeftMeter meter : WeftMeters.ALL) {
      String exposed = MetricsDocs.exposedName(meter);
      assertThat(exposed).as(meter.name()).startsWith("weft_").matches("[a-z_]+");
      switch (meter.kind()) {
        case COUNTER -> assertThat(exposed).as(meter.name()).endsWith("_total");
        case TIMER -> assertThat(exposed).as(meter.name()).endsWith("_seconds");
        case SUMMARY -> assertThat(exposed).as(meter.name()).endsWith("_" + meter.baseUnit());
        case GAUGE -> assertThat(exposed).as(meter.name()).doesNotEndWith("_total");
      }
      assertThat(names.add(exposed)).as("%s is exposed once", exposed).isTrue();
      assertThat(meter.description()).as(meter.name()).isNotBlank().endsWith(".");
    }
  }

  @Test
  void shouldListEveryMeterConstantInAll() throws IllegalAccessException {
    for (Field field : WeftMeters.class.getFields()) {
      if (field.getType() == WeftMeter.class && Modifier.isStatic(field.getModifiers())) {
        assertThat(WeftMeters.ALL).as(field.getName()).contains((WeftMeter) field.get(null));
      }
    }
  }

  @Test
  void shouldRefuseTagValuesThatDoNotMatchTheTagKeys() {
    assertThatThrownBy(() -> WeftMeters.RUNS_STARTED.counter(new SimpleMeterRegistry()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weft.runs.started takes tags [workflow]");
  }

  @Test
  void shouldRefuseAMeterUsedAsAnotherKind() {
    assertThatThrownBy(() -> WeftMeters.RUNS_STARTED.timer(new SimpleMeterRegistry(), "w"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is a COUNTER, not a TIMER");
  }

  @Test
  void shouldListEveryMeterOfTheCatalogueInTheReference() {
    String markdown = MetricsDocs.markdown();
    for (WeftMeter meter : WeftMeters.ALL) {
      assertThat(markdown).contains("| `" + MetricsDocs.exposedName(meter) + "` |");
    }
  }
}
