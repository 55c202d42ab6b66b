package io.weft.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScalingAdviceTest {

  private static final double FIVE_MINUTES = 300;

  @Test
  void shouldAskForTheSlotsThatKeepUpWithArrivals() {
    // given: 2 requests a second of 3 s each keep 6 slots busy
    ScalingAdvice advice = new ScalingAdvice(0, 2.0, 3.0, 12);

    // when / then: 4 slots a process
    assertThat(advice.slotsNeeded(FIVE_MINUTES)).isEqualTo(6.0);
    assertThat(advice.processes(4, FIVE_MINUTES)).isEqualTo(2);
  }

  @Test
  void shouldAskForMoreWithABacklogToDrain() {
    // given: idle but 600 requests of 10 s behind: 20 slots clear them in five minutes
    ScalingAdvice backlog = new ScalingAdvice(600, 0, 10.0, 12);
    ScalingAdvice idle = new ScalingAdvice(0, 0, 10.0, 12);

    // when / then
    assertThat(backlog.processes(4, FIVE_MINUTES)).isEqualTo(5);
    assertThat(idle.processes(4, FIVE_MINUTES)).isZero();
  }

  @Test
  void shouldNeverAskForMoreProcessesThanPartitions() {
    assertThat(new ScalingAdvice(100_000, 50, 10.0, 6).processes(1, FIVE_MINUTES)).isEqualTo(6);
  }

  @Test
  void shouldAskForOneProcessWhenThereIsWorkOfUnknownDuration() {
    // given
    ScalingAdvice unknown = new ScalingAdvice(10, 0, Double.NaN, 6);

    // when / then
    assertThat(unknown.slotsNeeded(FIVE_MINUTES)).isNaN();
    assertThat(unknown.processes(1, FIVE_MINUTES)).isEqualTo(1);
  }
}
