package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code weft scale} on an installation of its own, with a real backlog. */
@ExtendWith(WeftStackExtension.class)
class ScaleCommandIT {

  private static final String BLOCK = "src/test/resources/workflows/block.yaml";

  private static CliKit kit;

  @BeforeAll
  static void start(WeftStack stack) {
    kit = new CliKit(stack, "cli-scale").startCoordinator().startWorker();
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static Cli.Result weft(String... args) {
    return kit.weft(args);
  }

  @Test
  void shouldRecommendMoreProcessesForATaskTypeWithABacklogThanForAnIdleOne() {
    // given: 12 runs of a task that blocks until cancelled, on one worker process with 4 slots:
    // every request stays behind the group's committed offset, a real backlog; no echo task
    List<String> blocked =
        IntStream.range(0, 12)
            .mapToObj(i -> weft("run", BLOCK).out().lines().findFirst().orElseThrow())
            .toList();
    try {
      // when
      Pattern backlog = Pattern.compile("(?m)^cli-block +\\d+ +1 +12 +");
      Cli.Result result =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      weft(
                          "scale", "--window", "0s", "--concurrency", "4", "cli-block", "cli-echo"),
                  r -> backlog.matcher(r.out()).find());

      // then: the backlog of unknown duration gets a process, the idle type none
      assertThat(result.exitCode()).as(result.err()).isEqualTo(Weft.OK);
      assertThat(result.out())
          .containsPattern("(?m)^TYPE +PARTITIONS +PROCESSES +LAG +ARRIVALS/S +MEAN +RECOMMENDED$")
          .containsPattern("(?m)^cli-block +\\d+ +1 +12 +0\\.00 +- +1$")
          .containsPattern("(?m)^cli-echo +\\d+ +1 +0 +0\\.00 +- +0$");
    } finally {
      blocked.forEach(runId -> weft("cancel", runId));
    }
  }

  @Test
  void shouldRefuseToScaleATaskTypeWithoutATopic() {
    // when
    Cli.Result result = weft("scale", "--window", "0s", "no-such-type");

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(result.err()).contains("task type 'no-such-type' has no topic");
  }
}
