package io.weft.cli;

import io.weft.embedded.WeftStack;
import io.weft.schemas.events.RunEvent;
import io.weft.testkit.WeftInstallation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One test installation for the command's integration tests ({@link WeftInstallation}: its own
 * topic prefix and directory on the shared broker, a coordinator and a worker in this JVM, the
 * worker serving every handler found through ServiceLoader), and config files for the commands.
 */
final class CliKit implements AutoCloseable {

  private final WeftInstallation installation;
  final String prefix;
  final Path dir;
  private Path clientConfig;

  CliKit(WeftStack stack, String name) {
    this.installation = WeftInstallation.forTests(stack, name);
    this.prefix = installation.topics().prefix();
    this.dir = installation.dir();
  }

  CliKit startCoordinator() {
    installation.startCoordinator();
    return this;
  }

  void stopCoordinator() {
    installation.stopCoordinator();
  }

  CliKit startWorker() {
    installation.startWorker(
        Map.of("worker.concurrency", "4"),
        WorkerCommand.handlers().values().toArray(io.weft.workers.api.TaskHandler[]::new));
    return this;
  }

  /** Runs the weft command with {@code args} and {@code --config} of the client config. */
  Cli.Result weft(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--config";
    if (clientConfig == null) {
      clientConfig = clientConfig();
    }
    all[args.length + 1] = clientConfig.toString();
    return Cli.run(all);
  }

  /** A config file for the client commands, pointing at the running coordinator. */
  Path clientConfig() {
    return installation.writeSettings("client.properties", installation.clientSettings());
  }

  Path coordinatorConfig() {
    return installation.writeSettings("coordinator.properties", installation.coordinatorSettings());
  }

  Path workerConfig() {
    return installation.writeSettings("worker.properties", installation.workerSettings());
  }

  /** The committed events of one run, in order. */
  List<RunEvent> events(String runId) {
    return installation.eventLog().runLog(runId);
  }

  Map<String, Object> common() {
    return installation.connection();
  }

  @Override
  public void close() {
    installation.close();
  }
}
