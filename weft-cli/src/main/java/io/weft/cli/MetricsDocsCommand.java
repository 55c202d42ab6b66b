package io.weft.cli;

import io.weft.core.metrics.MetricsDocs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft metrics-docs}: prints the metrics reference. */
@Command(
    name = "metrics-docs",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the metrics reference (markdown): every metric of Weft's own that the coordinator,"
          + " workers and the inference service serve at /metrics.",
      "Redirect it to docs/metrics.md to update the file."
    })
final class MetricsDocsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(MetricsDocs.markdown());
    spec.commandLine().getOut().flush();
    return Weft.OK;
  }
}
