package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.metrics.MetricsDocs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/metrics.md is what Weft's meter catalogue says. */
class MetricsDocsTest {

  /** The file, from the module's directory (where the build runs its tests). */
  private static final Path DOC = Path.of("..", "docs", "metrics.md");

  @Test
  void shouldMatchTheCheckedInMetricsReference() throws IOException {
    // given
    String generated = MetricsDocs.markdown();

    // when
    String checkedIn = Files.exists(DOC) ? Files.readString(DOC) : "";

    // then
    assertThat(checkedIn)
        .as("docs/metrics.md is out of date; run " + MetricsDocs.REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void shouldPrintTheReferenceWithTheCommand() {
    // when
    Cli.Result result = Cli.run("metrics-docs");

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.OK);
    assertThat(result.out()).isEqualTo(MetricsDocs.markdown());
  }
}
