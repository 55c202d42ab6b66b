package io.weft.cli;

import io.weft.core.api.InvalidDefinitionException;
import java.io.PrintWriter;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/** The {@code weft} command. */
@Command(
    name = "weft",
    mixinStandardHelpOptions = true,
    versionProvider = WeftVersion.class,
    description = "Weft, a Kafka-native workflow engine for deep-learning services.",
    footer = {
      "",
      "Exit codes: 0 ok; 1 failed (a run failed, something was not found or unreachable);"
          + " 2 invalid input (usage, workflow definition or configuration)."
    },
    subcommands = {
      UpCommand.class,
      AclsCommand.class,
      CertsCommand.class,
      DemoCommand.class,
      CoordinatorCommand.class,
      WorkerCommand.class,
      ValidateCommand.class,
      RegisterCommand.class,
      RunCommand.class,
      StatusCommand.class,
      RunsCommand.class,
      WatchCommand.class,
      CancelCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      RetryCommand.class,
      RecoverCommand.class,
      TopicsCommand.class,
      ScaleCommand.class,
      ServeCommand.class,
      TokenCommand.class,
      ModelsCommand.class,
      DlqCommand.class,
      SchedulesCommand.class,
      ConfigDocsCommand.class,
      MetricsDocsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Weft {

  /** Exit code: success. */
  public static final int OK = 0;

  /** Exit code: a run failed, or something was not found. */
  public static final int FAILED = 1;

  /** Exit code: invalid input (usage, definition or configuration). */
  public static final int INVALID = 2;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "On an error, print its stack trace too.")
  boolean verbose;

  @Option(
      names = Logging.FORMAT_OPTION,
      scope = ScopeType.INHERIT,
      paramLabel = "text|json",
      description =
          "Log lines as text (the default) or as one JSON object a line, with the run, task,"
              + " attempt and task type of the attempt a line was logged in; also"
              + " WEFT_LOG_FORMAT.")
  LogFormat logFormat;

  @Option(
      names = Logging.LEVEL_OPTION,
      scope = ScopeType.INHERIT,
      paramLabel = "[LOGGER=]LEVEL",
      description =
          "A log level: of io.weft, or of the logger named (e.g. io.weft.workers=DEBUG,"
              + " org.apache.kafka=WARN, root=INFO); repeatable. The long-running commands show"
              + " Weft's INFO lifecycle lines by default, the others warnings only.")
  java.util.List<String> logLevels;

  /** The log formats of {@value Logging#FORMAT_OPTION}. */
  enum LogFormat {
    text,
    json
  }

  public static void main(String[] args) {
    Logging.chooseFormat(args, System.getenv());
    djlDefaults();
    System.exit(commandLine().execute(args));
  }

  /**
   * DJL offline (it would otherwise call out on every start), with its cache (the unpacked PyTorch
   * natives, ~430 MB) under {@code weft-data/djl-cache} rather than the home directory, unless set
   * otherwise.
   */
  static void djlDefaults() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
      System.setProperty(
          "DJL_CACHE_DIR",
          java.nio.file.Path.of("weft-data", "djl-cache").toAbsolutePath().toString());
    }
  }

  static CommandLine commandLine() {
    return new CommandLine(new Weft())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExitCodeExceptionMapper(Weft::exitCode)
        .setExecutionExceptionHandler(Weft::report)
        .setExecutionStrategy(
            parsed -> {
              Logging.configure(parsed);
              return new CommandLine.RunLast().execute(parsed);
            })
        .setParameterExceptionHandler(
            (e, args) -> {
              e.getCommandLine().getErr().println("weft: " + e.getMessage());
              e.getCommandLine().usage(e.getCommandLine().getErr());
              return INVALID;
            });
  }

  private static int report(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if (e instanceof CliException cli) {
      cli.lines().forEach(line -> err.println("weft: " + line));
    } else if (e instanceof InvalidDefinitionException invalid) {
      invalid.problems().forEach(p -> err.println("weft: " + p));
    } else {
      err.println("weft: " + message(e));
    }
    if (verbose(parsed)) {
      e.printStackTrace(err);
    }
    err.flush();
    return exitCode(e);
  }

  private static int exitCode(Throwable e) {
    if (e instanceof CliException cli) {
      return cli.exitCode();
    }
    return e instanceof InvalidDefinitionException || e instanceof ConfigException
        ? INVALID
        : FAILED;
  }

  private static String message(Throwable e) {
    String message = e.getMessage();
    if (e instanceof ConfigException) {
      return "invalid configuration: " + message;
    }
    return message == null || message.isBlank() ? e.toString() : message;
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
