package io.weft.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft config-docs}: prints the configuration reference. */
@Command(
    name = "config-docs",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the configuration reference (markdown) of every component, generated from their"
          + " config definitions.",
      "Redirect it to docs/configuration.md to update the file."
    })
final class ConfigDocsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(ConfigDocs.markdown());
    spec.commandLine().getOut().flush();
    return Weft.OK;
  }
}
