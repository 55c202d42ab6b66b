package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft demo}: a whole Weft in the test's JVM, training for real. */
class DemoCommandIT {

  private static final Path ROOT =
      Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).toAbsolutePath();
  private static final String IMAGES =
      ROOT.resolve("examples/data/mnist/digits-images-idx3-ubyte.gz").normalize().toString();
  private static final String LABELS =
      ROOT.resolve("examples/data/mnist/digits-labels-idx1-ubyte.gz").normalize().toString();
  private static final String WORKFLOW = ROOT.resolve("examples/mnist.yaml").toString();

  @TempDir Path dir;

  @Test
  void shouldRunTheMnistWorkflowLiveAndEndWithASampleInference() {
    // when
    Cli.Result demo =
        Cli.run(
            "demo",
            "--work-dir",
            dir.toString(),
            "--workflow",
            WORKFLOW,
            "--param",
            "images=" + IMAGES,
            "--param",
            "labels=" + LABELS,
            "--param",
            "epochs=2");

    // then
    assertThat(demo.exitCode()).as(demo.err() + demo.out()).isEqualTo(Weft.OK);
    assertThat(demo.out())
        .containsPattern("workers for .*batch-infer, .*evaluate, .*prepare-data, .*promote-model,")
        .containsPattern("train +\\[##########\\.{10}] epoch 1/2  loss [0-9.]+  accuracy")
        .contains("ETA")
        .containsPattern("(?m)^Run .* SUCCEEDED in")
        .contains("Model mnist version 1 registered; production is version 1")
        .containsPattern("(?m)^  ([89]|10)/10 correct$")
        .contains("From the command to the first task dispatched");
  }

  @Test
  void shouldExit1WithTheFailingTasksError() {
    Path missing = dir.resolve("none-images-idx3-ubyte.gz");

    Cli.Result demo =
        Cli.run(
            "demo",
            "--work-dir",
            dir.resolve("work").toString(),
            "--workflow",
            WORKFLOW,
            "--param",
            "images=" + missing,
            "--param",
            "labels=" + LABELS);

    assertThat(demo.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(demo.err()).contains("task prepare").contains(missing.toString());
  }
}
