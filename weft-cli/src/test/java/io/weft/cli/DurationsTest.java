package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationsTest {

  @Test
  void shouldReadEachUnit() {
    Durations durations = new Durations();
    assertThat(durations.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(durations.convert(" 90s ")).isEqualTo(Duration.ofSeconds(90));
    assertThat(durations.convert("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(durations.convert("2h")).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void shouldRefuseADurationWithoutAUnitNamingTheForms() {
    assertThatThrownBy(() -> new Durations().convert("30"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'30' is not a duration such as 500ms, 90s, 30m or 2h");
  }

  @Test
  void shouldWriteTheShortestExactForm() {
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofSeconds(2))).isEqualTo("2s");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMinutes(30))).isEqualTo("30m");
    assertThat(Durations.format(Duration.ofHours(24))).isEqualTo("24h");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }
}
