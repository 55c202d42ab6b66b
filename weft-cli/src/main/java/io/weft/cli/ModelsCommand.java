package io.weft.cli;

import io.weft.core.api.ModelNotFoundException;
import io.weft.core.api.ModelRegistry;
import io.weft.core.api.Promotion;
import io.weft.schemas.models.ModelAliasChanged;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft models}: the model registry. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description =
        "Lists, shows, registers (model files trained elsewhere), promotes and rolls back model"
            + " versions in the model registry.",
    subcommands = {
      ModelsCommand.ListModels.class,
      ModelsCommand.Show.class,
      ModelRegisterCommand.class,
      ModelsCommand.Promote.class,
      ModelsCommand.Rollback.class
    })
final class ModelsCommand {

  private ModelsCommand() {}

  /** A model, or a failure saying the registry does not know it. */
  static String known(ModelRegistry registry, String name) {
    if (registry.versions(name).isEmpty()) {
      throw new CliException(
          Weft.FAILED,
          "model '"
              + name
              + "' not found; models: "
              + (registry.models().isEmpty() ? "none" : String.join(", ", registry.models())));
    }
    return name;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Each model: its versions, its production version and that version's metrics.")
  static final class ListModels implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json.")
    Output.Format format;

    @Override
    public Integer call() {
      try (ModelRegistry registry = ModelRegistry.create(connection.clientSettings())) {
        ModelOutput.list(spec.commandLine().getOut(), registry, format);
      }
      return Weft.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "A model's versions with their metrics and source, and its production alias.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Parameters(paramLabel = "NAME", description = "The model.")
    String name;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json.")
    Output.Format format;

    @Override
    public Integer call() {
      try (ModelRegistry registry = ModelRegistry.create(connection.clientSettings())) {
        known(registry, name);
        ModelOutput.show(spec.commandLine().getOut(), registry, name, format);
      }
      return Weft.OK;
    }
  }

  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description = {
        "Points the model's production alias at VERSION.",
        "With --if-better METRIC, only if VERSION beats the production version on that metric"
            + " (champion/challenger); exits 1 if it does not."
      })
  static final class Promote implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "NAME", description = "The model.")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", description = "The version to promote.")
    int version;

    @Option(names = "--if-better", paramLabel = "METRIC", description = "Champion/challenger.")
    String metric;

    @Option(names = "--lower-is-better", description = "With --if-better: lower wins (e.g. loss).")
    boolean lowerIsBetter;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (ModelRegistry registry = ModelRegistry.create(connection.clientSettings())) {
        Promotion promotion = registry.promote(name, version, metric, !lowerIsBetter);
        if (!promotion.promoted()) {
          throw new CliException(
              Weft.FAILED, name + " version " + version + " not promoted: " + promotion.reason());
        }
        out.println(name + ": production is now version " + version + reason(promotion.change()));
      } catch (ModelNotFoundException e) {
        throw new CliException(Weft.FAILED, e.getMessage());
      }
      return Weft.OK;
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = "Moves the model's production alias back to the version it pointed at before.")
  static final class Rollback implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Parameters(paramLabel = "NAME", description = "The model.")
    String name;

    @Override
    public Integer call() {
      try (ModelRegistry registry = ModelRegistry.create(connection.clientSettings())) {
        known(registry, name);
        ModelAliasChanged change = registry.rollback(name);
        spec.commandLine()
            .getOut()
            .println(
                name
                    + ": production rolled back from version "
                    + change.getPreviousVersion()
                    + " to version "
                    + change.getVersion());
      } catch (io.weft.core.api.ModelRegistryException e) {
        throw new CliException(Weft.FAILED, e.getMessage());
      }
      return Weft.OK;
    }
  }

  private static String reason(ModelAliasChanged change) {
    return change == null || change.getReason() == null ? "" : " (" + change.getReason() + ")";
  }
}
