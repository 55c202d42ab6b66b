package io.weft.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchOptionsTest {

  @Test
  void shouldSoakTenThousandRunsWithAKillEveryThirtySecondsByDefault() {
    // given
    Bench bench = new Bench();

    // when
    new CommandLine(bench).parseArgs("--soak");

    // then
    assertThat(bench.soak).isTrue();
    assertThat(bench.soakRuns).isEqualTo(10_000);
    assertThat(bench.soakKillIntervalS).isEqualTo(30);
    assertThat(bench.soakRate).isEqualTo(20.0);
    assertThat(bench.soakFinalWaitS).isEqualTo(600);
  }

  @Test
  void shouldTakeAShorterSoakFromTheOptions() {
    // given
    Bench bench = new Bench();

    // when
    new CommandLine(bench)
        .parseArgs("--soak", "--soak-runs", "600", "--soak-kill-interval-s", "10");

    // then
    assertThat(bench.soakPlan().runs()).isEqualTo(600);
    assertThat(bench.soakPlan().killInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(bench.soakPlan().load()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shouldNotSoakWithoutTheOption() {
    // given
    Bench bench = new Bench();

    // when
    new CommandLine(bench).parseArgs("--mode", "full");

    // then
    assertThat(bench.soak).isFalse();
  }
}
