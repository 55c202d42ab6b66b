package io.weft.cli;

import io.weft.core.api.Schedules;
import io.weft.core.api.WeftClient;
import io.weft.schemas.schedules.MissedTicks;
import io.weft.schemas.schedules.Schedule;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft schedules}: workflows started on cron expressions. */
@Command(
    name = "schedules",
    mixinStandardHelpOptions = true,
    description =
        "Creates, lists and deletes schedules: workflows the coordinator starts on a cron"
            + " expression, each tick once.",
    subcommands = {
      SchedulesCommand.Create.class,
      SchedulesCommand.ListSchedules.class,
      SchedulesCommand.Delete.class
    })
final class SchedulesCommand {

  private SchedulesCommand() {}

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Creates a schedule, or replaces the one of that name.",
        "CRON has five fields (minute hour day-of-month month day-of-week, e.g. '0 3 * * *') or"
            + " six with seconds first (e.g. '*/30 * * * * *')."
      })
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Option(names = "--workflow", required = true, description = "The workflow to run.")
    String workflow;

    @Option(
        names = "--version",
        description = "Its version (default: the latest registered at each tick).")
    Integer version;

    @Option(names = "--cron", required = true, paramLabel = "CRON", description = "When.")
    String cron;

    @Option(
        names = "--time-zone",
        defaultValue = "UTC",
        description = "The zone CRON is read in, e.g. Europe/Paris (default: UTC).")
    String timeZone;

    @Option(
        names = "--missed",
        defaultValue = "LATEST",
        description =
            "Ticks missed while no coordinator could fire them: LATEST (the newest once), ALL"
                + " (each, oldest first), SKIP (none over a minute late). Default: LATEST.")
    MissedTicks missed;

    @Option(
        names = {"-p", "--param"},
        paramLabel = "KEY=VALUE",
        description = "A run parameter for every run (JSON, or a string).")
    List<String> params = List.of();

    @Override
    public Integer call() {
      try (WeftClient client = WeftClient.create(connection.clientSettings())) {
        Schedule schedule =
            client
                .schedules()
                .create(name, workflow, version, cron, timeZone, Params.parse(params), missed);
        PrintWriter out = spec.commandLine().getOut();
        out.println("SCHEDULED " + name);
        out.println(
            "next run: "
                + Schedules.nextTick(schedule, schedule.getCreatedAt())
                    .map(Instant::toString)
                    .orElse("never"));
        return Weft.OK;
      } catch (IllegalArgumentException e) {
        throw new CliException(Weft.INVALID, e.getMessage());
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "The schedules: workflow, expression, zone, policy and next tick.")
  static final class ListSchedules implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Override
    public Integer call() {
      Map<String, Schedule> schedules;
      try (WeftClient client = WeftClient.create(connection.clientSettings())) {
        schedules = client.schedules().list();
      }
      PrintWriter out = spec.commandLine().getOut();
      if (schedules.isEmpty()) {
        out.println("No schedules.");
        return Weft.OK;
      }
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("NAME", "WORKFLOW", "CRON", "ZONE", "MISSED", "NEXT"));
      Instant now = Instant.now();
      for (Schedule s : schedules.values()) {
        rows.add(
            List.of(
                s.getName(),
                s.getWorkflowName()
                    + (s.getWorkflowVersion() == null ? "" : " v" + s.getWorkflowVersion()),
                s.getCron(),
                s.getTimeZone(),
                s.getMissed().name(),
                Schedules.nextTick(s, now).map(Instant::toString).orElse("never")));
      }
      Output.table(out, rows);
      return Weft.OK;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Deletes a schedule; the runs it started go on. Exits 1 if there is none.")
  static final class Delete implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Parameters(paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Override
    public Integer call() {
      try (WeftClient client = WeftClient.create(connection.clientSettings())) {
        if (!client.schedules().delete(name)) {
          throw new CliException(Weft.FAILED, "schedule " + name + " not found");
        }
      }
      spec.commandLine().getOut().println("DELETED " + name);
      return Weft.OK;
    }
  }
}
