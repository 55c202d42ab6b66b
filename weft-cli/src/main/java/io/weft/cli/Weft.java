package io.weft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code weft} command. */
@Command(
    name = "weft",
    mixinStandardHelpOptions = true,
    versionProvider = WeftVersion.class,
    description = "Weft, a Kafka-native workflow engine for deep-learning services.",
    subcommands = {UpCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Weft {

  /** Exit code: success. */
  public static final int OK = 0;

  /** Exit code: a run failed, or something was not found. */
  public static final int FAILED = 1;

  /** Exit code: invalid input (usage, definition or configuration). */
  public static final int INVALID = 2;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Weft())
        .setExitCodeExceptionMapper(e -> FAILED)
        .setParameterExceptionHandler(
            (e, args) -> {
              e.getCommandLine().getErr().println("weft: " + e.getMessage());
              e.getCommandLine().usage(e.getCommandLine().getErr());
              return INVALID;
            });
  }
}
