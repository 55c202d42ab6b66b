package io.weft.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * How long and how hard the soak runs ({@code ./bench --soak}).
 *
 * @param runs runs started, one after another at {@code rate}
 * @param rate runs started per second: a fixed rate, so that the load lasts {@link #load()} and the
 *     kills fall on runs in every state
 * @param killInterval time between two kills of a worker or coordinator JVM
 * @param finalWait how long, after the last start, every acknowledged run may take to end before it
 *     counts as lost
 */
record SoakPlan(int runs, double rate, Duration killInterval, Duration finalWait) {

  /** Default runs of {@code --soak-runs}. */
  static final int DEFAULT_RUNS = 10_000;

  /** Default runs per second of {@code --soak-rate}: 10,000 runs then take 8 min 20 s. */
  static final double DEFAULT_RATE = 20;

  /** Default seconds of {@code --soak-kill-interval-s}. */
  static final int DEFAULT_KILL_INTERVAL_S = 30;

  /** Default seconds of {@code --soak-final-wait-s}. */
  static final int DEFAULT_FINAL_WAIT_S = 600;

  /** Broker nodes killed over the load, at equal spaces: at 1/3 and 2/3 of the runs. */
  static final int BROKER_KILLS = 2;

  SoakPlan {
    if (runs < 1) {
      throw new IllegalArgumentException("--soak-runs must be at least 1, not " + runs);
    }
    if (!(rate > 0)) {
      throw new IllegalArgumentException("--soak-rate must be above 0, not " + rate);
    }
    if (killInterval.isNegative() || killInterval.isZero()) {
      throw new IllegalArgumentException("--soak-kill-interval-s must be above 0: " + killInterval);
    }
  }

  /** Time between two run starts. */
  Duration startPeriod() {
    return Duration.ofNanos(Math.max(1, Math.round(1e9 / rate)));
  }

  /** How long starting every run takes at the plan's rate. */
  Duration load() {
    return Duration.ofMillis(Math.round(runs * 1000 / rate));
  }

  /** When each broker node is killed, from the first start: 1/3 and 2/3 of the load. */
  List<Duration> brokerKills() {
    return IntStream.rangeClosed(1, BROKER_KILLS)
        .mapToObj(i -> load().multipliedBy(i).dividedBy(BROKER_KILLS + 1))
        .toList();
  }
}
