package io.weft.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SoakPlanTest {

  @Test
  void shouldKillTheBrokersAtAThirdAndTwoThirdsOfTheLoad() {
    // given: the defaults, 10,000 runs at 20 runs/s
    SoakPlan plan =
        new SoakPlan(
            SoakPlan.DEFAULT_RUNS,
            SoakPlan.DEFAULT_RATE,
            Duration.ofSeconds(SoakPlan.DEFAULT_KILL_INTERVAL_S),
            Duration.ofSeconds(SoakPlan.DEFAULT_FINAL_WAIT_S));

    // then
    assertThat(plan.load()).isEqualTo(Duration.ofSeconds(500));
    assertThat(plan.startPeriod()).isEqualTo(Duration.ofMillis(50));
    assertThat(plan.brokerKills().stream().map(Duration::toMillis))
        .containsExactly(166_666L, 333_333L);
  }

  @Test
  void shouldRefuseAPlanWithoutRunsOrWithoutARate() {
    Duration interval = Duration.ofSeconds(30);
    assertThatThrownBy(() -> new SoakPlan(0, 20, interval, interval))
        .hasMessageContaining("--soak-runs");
    assertThatThrownBy(() -> new SoakPlan(10, 0, interval, interval))
        .hasMessageContaining("--soak-rate");
    assertThatThrownBy(() -> new SoakPlan(10, 20, Duration.ZERO, interval))
        .hasMessageContaining("--soak-kill-interval-s");
  }
}
