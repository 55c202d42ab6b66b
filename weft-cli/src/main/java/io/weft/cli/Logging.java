package io.weft.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The command's logging: its format ({@code --log-format text|json}, or {@code WEFT_LOG_FORMAT}),
 * chosen before Log4j starts, and levels ({@code --log-level [LOGGER=]LEVEL}, repeatable) set once
 * the command line is parsed. The long-running commands show Weft's INFO lifecycle lines unless
 * told otherwise; the others only warnings.
 */
final class Logging {

  /** The system property {@code log4j2.xml} picks its appender by. */
  static final String FORMAT_PROPERTY = "weft.log.format";

  static final String FORMAT_OPTION = "--log-format";
  static final String LEVEL_OPTION = "--log-level";

  /** Commands that run until stopped, whose lifecycle lines are shown by default. */
  private static final Set<String> LONG_RUNNING = Set.of("coordinator", "worker", "serve", "up");

  private static final String WEFT = "io.weft";

  private Logging() {}

  /**
   * Sets {@link #FORMAT_PROPERTY} from {@code args} or {@code env}, before anything logs: Log4j
   * reads its configuration once, at the first logger. An invalid value is left for the command
   * line's parser to refuse.
   */
  static void chooseFormat(String[] args, Map<String, String> env) {
    keepLoggingWhileStopping();
    if (System.getProperty(FORMAT_PROPERTY) != null) {
      return;
    }
    String format = env.get("WEFT_LOG_FORMAT");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(FORMAT_OPTION) && i + 1 < args.length) {
        format = args[i + 1];
      } else if (args[i].startsWith(FORMAT_OPTION + "=")) {
        format = args[i].substring(FORMAT_OPTION.length() + 1);
      }
    }
    if (format != null && (format.equals("text") || format.equals("json"))) {
      System.setProperty(FORMAT_PROPERTY, format);
    }
  }

  /** Log4j's property that turns its own shutdown hook on or off. */
  static final String SHUTDOWN_HOOK_PROPERTY = "log4j2.shutdownHookEnabled";

  /**
   * Turns Log4j's own shutdown hook off, whatever configuration file is used: on Ctrl-C the
   * command's hooks stop the coordinator, the workers and the broker, which log while they stop;
   * Log4j stopped beside them would drop those lines, and warn on stderr when a thread logs after
   * it. Logging ends with the process.
   */
  static void keepLoggingWhileStopping() {
    if (System.getProperty(SHUTDOWN_HOOK_PROPERTY) == null) {
      System.setProperty(SHUTDOWN_HOOK_PROPERTY, "false");
    }
  }

  /** Sets the levels the parsed command line asks for, and the command's default. */
  static void configure(ParseResult parsed) {
    ParseResult leaf = parsed;
    List<String> specs = new ArrayList<>();
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      leaf = p;
      if (p.hasMatchedOption(LEVEL_OPTION)) {
        specs.addAll(p.matchedOption(LEVEL_OPTION).<List<String>>getValue());
      }
    }
    if (LONG_RUNNING.contains(leaf.commandSpec().name())) {
      Configurator.setLevel(WEFT, Level.INFO);
    }
    for (String spec : specs) {
      int eq = spec.lastIndexOf('=');
      String logger = eq < 0 ? WEFT : spec.substring(0, eq).trim();
      String name = (eq < 0 ? spec : spec.substring(eq + 1)).trim();
      Level level = Level.toLevel(name.toUpperCase(Locale.ROOT), null);
      if (level == null || logger.isEmpty()) {
        throw new CommandLine.ParameterException(
            parsed.commandSpec().commandLine(),
            LEVEL_OPTION
                + " '"
                + spec
                + "': expected [LOGGER=]LEVEL, LEVEL one of OFF, ERROR, WARN, INFO, DEBUG,"
                + " TRACE (e.g. io.weft.workers=DEBUG)");
      }
      if (logger.equalsIgnoreCase("root")) {
        Configurator.setRootLevel(level);
      } else {
        Configurator.setLevel(logger, level);
      }
    }
  }
}
