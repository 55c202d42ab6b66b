package io.weft.cli;

import io.weft.core.api.CoordinatorConfig;
import io.weft.core.api.Recovery;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft recover}. */
@Command(
    name = "recover",
    mixinStandardHelpOptions = true,
    description = {
      "Rebuilds a stopped coordinator's state from the event log; start it again afterwards.",
      "Every instance must be stopped. --config takes the coordinator's keys (application.id,"
          + " state.dir).",
      "Refuses to run while the coordinator's local state directory on this machine"
          + " (<state.dir>/<application.id>) holds state, unless --wipe-local-state."
    })
final class RecoverCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(
      names = "--wipe-local-state",
      description =
          "Delete the coordinator's local state directory on this machine"
              + " (<state.dir>/<application.id>) once every instance is seen stopped, instead of"
              + " refusing to recover over it. Delete it by hand wherever else an instance ran.")
  boolean wipeLocalState;

  @Override
  public Integer call() {
    Map<String, Object> settings = connection.componentSettings();
    new CoordinatorConfig(settings); // fails naming an unknown key before connecting
    if (!wipeLocalState) {
      Recovery.requireNoLocalState(settings); // before connecting, too
    }
    Kafka.requireReachable(Kafka.adminProps(settings));
    Recovery.Report report = Recovery.rebuild(settings, wipeLocalState);
    PrintWriter out = spec.commandLine().getOut();
    out.println("RECOVERED");
    out.println("events read:  " + report.eventsRead());
    out.println("runs:         " + report.runs());
    out.println("running runs: " + report.runningRuns());
    out.println("timers:       " + report.timers());
    out.println("partitions:   " + report.partitions());
    out.println("skipped runs: " + report.skippedRuns());
    if (report.skippedRuns() > 0) {
      spec.commandLine()
          .getErr()
          .println(
              "weft: "
                  + report.skippedRuns()
                  + " run(s) not rebuilt: their first events are no longer on the event log"
                  + " (deleted by its retention, weft.events.retention.ms)");
    }
    return Weft.OK;
  }
}
