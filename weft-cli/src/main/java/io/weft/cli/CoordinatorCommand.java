package io.weft.cli;

import io.weft.core.api.Coordinator;
import io.weft.core.api.CoordinatorConfig;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft coordinator}: a coordinator instance, until interrupted. */
@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a coordinator until interrupted (SIGTERM or Ctrl-C close it cleanly).",
      "Prints its query URL. --config takes the coordinator's keys (application.id, state.dir,"
          + " weft.query.port, ...)."
    })
final class CoordinatorCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> settings = connection.componentSettings();
    new CoordinatorConfig(settings); // fails naming an unknown key before connecting
    Kafka.requireReachable(Kafka.adminProps(settings));
    Coordinator coordinator = Coordinator.start(settings);
    out.println("coordinator running; query URL: " + coordinator.queryUrl());
    out.println("web UI: " + coordinator.queryUrl() + "/ui/");
    out.println("Press Ctrl-C to stop.");
    out.flush();
    UntilStopped.await("weft-coordinator", coordinator::close);
    return Weft.OK;
  }
}
