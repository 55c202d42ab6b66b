package io.weft.cli;

import io.weft.core.api.ClientConfig;
import io.weft.core.api.WeftTopics;
import io.weft.core.metrics.ScalingAdvice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft scale}: how many worker processes each task type needs. */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description = {
      "Recommends how many worker processes each task type needs, from its consumer lag, the"
          + " requests dispatched to it over a sampling window, the mean duration of its attempts"
          + " that succeeded lately (from the events topic) and each process's concurrency,"
          + " capped by the task topic's partition count (see docs/operations.md#scaling). A"
          + " type's GPU pool (tasks that declare resources.gpu) is a row of its own, <type>.gpu:"
          + " its processes are the workers with GPUs."
    })
final class ScaleCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(
      paramLabel = "POOL",
      arity = "0..*",
      description =
          "Task types, or a type's GPU pool as <type>.gpu (default: all, each GPU pool on a row"
              + " of its own).")
  List<String> types = new ArrayList<>();

  @Option(
      names = "--concurrency",
      defaultValue = "1",
      description = "Handler slots of each worker process (its worker.concurrency; default 1).")
  int concurrency;

  @Option(
      names = "--window",
      defaultValue = "10s",
      converter = Durations.class,
      description = "How long to count requests arriving (default 10s; 0s: do not count).")
  Duration window;

  @Option(
      names = "--drain",
      defaultValue = "5m",
      converter = Durations.class,
      description = "How soon the backlog should be cleared (default 5m).")
  Duration drain;

  @Option(
      names = "--events",
      defaultValue = "5000",
      description = "Events read from the end of each events partition for durations.")
  int events;

  @Override
  public Integer call() throws InterruptedException, ExecutionException {
    if (concurrency < 1 || drain.isZero() || drain.isNegative() || window.isNegative()) {
      throw new CliException(
          Weft.INVALID,
          "--concurrency must be at least 1, --drain positive, --window not negative");
    }
    Map<String, Object> settings = connection.clientSettings();
    WeftTopics topics = new ClientConfig(settings).topics();
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of("TYPE", "PARTITIONS", "PROCESSES", "LAG", "ARRIVALS/S", "MEAN", "RECOMMENDED"));
    try (Admin admin = Kafka.admin(Kafka.adminProps(settings))) {
      Map<String, TopicDescription> taskTopics = TaskTopics.describe(admin, topics, types);
      Map<String, Long> before = TaskTopics.endOffsets(admin, taskTopics.values());
      if (!window.isZero()) {
        TimeUnit.MILLISECONDS.sleep(window.toMillis());
      }
      Map<String, Long> after = TaskTopics.endOffsets(admin, taskTopics.values());
      Map<String, Double> means = RecentDurations.meanSeconds(settings, topics.events(), events);
      for (Map.Entry<String, TopicDescription> entry : taskTopics.entrySet()) {
        String type = entry.getKey();
        TopicDescription topic = entry.getValue();
        String group = topics.workerGroup(type);
        double arrivals =
            window.isZero()
                ? 0
                : (after.get(topic.name()) - before.get(topic.name()))
                    / (window.toMillis() / 1000.0);
        ScalingAdvice advice =
            new ScalingAdvice(
                TaskTopics.backlog(settings, admin, topic, group),
                arrivals,
                means.getOrDefault(WeftTopics.typeOfPool(type), Double.NaN),
                topic.partitions().size());
        rows.add(
            List.of(
                type,
                String.valueOf(advice.partitions()),
                String.valueOf(TaskTopics.members(admin, group)),
                String.valueOf(advice.lag()),
                String.format(Locale.ROOT, "%.2f", advice.arrivalsPerSecond()),
                Double.isNaN(advice.meanSeconds())
                    ? "-"
                    : String.format(Locale.ROOT, "%.3fs", advice.meanSeconds()),
                String.valueOf(advice.processes(concurrency, drain.toMillis() / 1000.0))));
      }
    }
    Output.table(spec.commandLine().getOut(), rows);
    return Weft.OK;
  }
}
