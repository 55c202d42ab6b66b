package io.weft.core.api;

import com.cronutils.model.time.ExecutionTime;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.core.internals.schedules.CronExpressions;
import io.weft.schemas.definitions.WorkflowDef;
import io.weft.schemas.schedules.MissedTicks;
import io.weft.schemas.schedules.Schedule;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Schedules: workflows started on cron expressions, kept on the compacted topic {@code
 * weft.schedules} and fired by the coordinator, each tick once, as a run whose run key is {@code
 * schedule:<name>:<tick>}. Obtained from {@link WeftClient#schedules()}.
 */
public final class Schedules {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private final WeftClient client;

  Schedules(WeftClient client) {
    this.client = client;
  }

  /**
   * Creates a schedule, or replaces the one of that name (ticks before now are then not fired).
   *
   * @param version the workflow version, or null for the latest registered at each tick
   * @param cron five fields (minute hour day-of-month month day-of-week), or six with seconds first
   * @param timeZone an IANA zone id; null for UTC
   * @param missed what to do with ticks missed while no coordinator could fire them; null for
   *     {@code LATEST}
   * @throws IllegalArgumentException naming every problem; nothing is written then
   */
  public Schedule create(
      String name,
      String workflow,
      Integer version,
      String cron,
      String timeZone,
      Map<String, ?> params,
      MissedTicks missed) {
    List<String> problems = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      problems.add("name '" + name + "' must match [A-Za-z0-9._-]{1,200}");
    }
    String zone = timeZone == null ? "UTC" : timeZone;
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      problems.add("time zone '" + zone + "' is not known");
    }
    try {
      CronExpressions.parse(cron);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    Map<String, String> json = new LinkedHashMap<>();
    params.forEach((k, v) -> json.put(k, JSON.valueToTree(v).toString()));
    workflowProblems(workflow, version, json).forEach(problems::add);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid schedule '" + name + "': " + String.join("; ", problems));
    }
    Schedule schedule =
        new Schedule(
            name,
            workflow,
            version,
            cron.strip(),
            zone,
            json,
            missed == null ? MissedTicks.LATEST : missed,
            client.now());
    client.send(client.topics().schedules(), name, schedule);
    return schedule;
  }

  /** The schedules, by name. */
  public Map<String, Schedule> list() {
    return new TreeMap<>(client.readSchedules());
  }

  /**
   * Deletes a schedule; runs it started go on.
   *
   * @return false if there was no such schedule
   */
  public boolean delete(String name) {
    if (!client.readSchedules().containsKey(name)) {
      return false;
    }
    client.send(client.topics().schedules(), name, null);
    return true;
  }

  /** The first tick of {@code schedule} after {@code after}, if it has one. */
  public static Optional<Instant> nextTick(Schedule schedule, Instant after) {
    ExecutionTime times = CronExpressions.parse(schedule.getCron());
    return times
        .nextExecution(after.atZone(ZoneId.of(schedule.getTimeZone())))
        .map(ZonedDateTime::toInstant);
  }

  private List<String> workflowProblems(
      String workflow, Integer version, Map<String, String> params) {
    Optional<WorkflowDef> def =
        client.definitions().values().stream()
            .filter(d -> d.getName().equals(workflow))
            .filter(d -> version == null || d.getVersion() == version)
            .max(Comparator.comparingInt(WorkflowDef::getVersion));
    if (def.isEmpty()) {
      return List.of(
          "workflow '"
              + workflow
              + "'"
              + (version == null ? "" : " version " + version)
              + " is not registered");
    }
    List<String> unknown =
        params.keySet().stream()
            .filter(k -> !def.get().getParams().containsKey(k))
            .sorted()
            .toList();
    return unknown.isEmpty()
        ? List.of()
        : List.of(
            "unknown parameters "
                + unknown
                + "; "
                + workflow
                + " version "
                + def.get().getVersion()
                + " declares "
                + new TreeMap<>(def.get().getParams()).keySet());
  }
}
