package io.weft.core.internals.schedules;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * Cron expressions as schedules take them: Unix's five fields (minute hour day-of-month month
 * day-of-week), or six with seconds first (as Spring reads them), parsed by cron-utils.
 */
public final class CronExpressions {

  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser WITH_SECONDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

  private CronExpressions() {}

  /**
   * The execution times of {@code expression}.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static ExecutionTime parse(String expression) {
    String text = expression == null ? "" : expression.strip();
    int fields = text.isEmpty() ? 0 : text.split("\\s+").length;
    Cron cron;
    try {
      cron =
          switch (fields) {
            case 5 -> UNIX.parse(text);
            case 6 -> WITH_SECONDS.parse(text);
            default ->
                throw new IllegalArgumentException(
                    fields
                        + " fields; expected 5 (minute hour day-of-month month day-of-week) or 6"
                        + " (seconds first)");
          };
      cron.validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cron expression '" + expression + "' is invalid: " + e.getMessage(), e);
    }
    return ExecutionTime.forCron(cron);
  }
}
