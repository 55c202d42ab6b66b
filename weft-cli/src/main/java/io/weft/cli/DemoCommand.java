package io.weft.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft demo}: the MNIST workflow on the embedded stack. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Runs the MNIST demo workflow on the embedded stack.")
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine()
        .getErr()
        .println(
            "weft demo: not yet available: it needs the coordinator, the workers and the MNIST"
                + " tasks, which are not built yet. 'weft up' starts the embedded broker and"
                + " schema registry today.");
    return Weft.FAILED;
  }
}
