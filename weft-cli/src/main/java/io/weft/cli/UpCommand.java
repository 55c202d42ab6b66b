package io.weft.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft up}: the embedded broker, schema registry and a coordinator, until interrupted. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Starts Weft in this process: a single-node Kafka broker and a schema registry on free"
          + " loopback ports, and a coordinator with its HTTP query API, with all data under the"
          + " work directory.",
      "Prints where to connect and how to point the other weft commands there, then runs until"
          + " interrupted (Ctrl-C or SIGTERM stop the coordinator, then the broker and registry)."
    })
final class UpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--work-dir",
      defaultValue = "weft-data",
      description =
          "Directory for the broker's data, the registry and the coordinator's state"
              + " (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(
      names = "--query-port",
      defaultValue = "0",
      paramLabel = "PORT",
      description = "Port of the coordinator's HTTP query API; 0 picks a free one (default).")
  int queryPort;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    out.println("Starting the embedded stack in " + workDir.toAbsolutePath() + " ...");
    out.flush();
    EmbeddedWeft weft = EmbeddedWeft.startStack(workDir);
    try {
      weft.startCoordinator(queryPort);
    } catch (RuntimeException e) {
      weft.close();
      throw e;
    }
    out.println("bootstrap servers:   " + weft.stack().bootstrapServers());
    out.println("schema registry URL: " + weft.stack().schemaRegistryUrl());
    out.println("HTTP API URL:        " + weft.queryUrl() + "  (the coordinator's query API)");
    out.println("Web UI:              " + weft.queryUrl() + "/ui/");
    out.println();
    out.println("Point the other weft commands here with these lines in your shell:");
    out.println("  export WEFT_BOOTSTRAP_SERVERS=" + weft.stack().bootstrapServers());
    out.println("  export WEFT_SCHEMA_REGISTRY_URL=" + weft.stack().schemaRegistryUrl());
    out.println("  export WEFT_QUERY_URL=" + weft.queryUrl());
    out.println("or with these options:");
    out.println(
        "  --bootstrap-servers "
            + weft.stack().bootstrapServers()
            + " --schema-registry-url "
            + weft.stack().schemaRegistryUrl()
            + " --query-url "
            + weft.queryUrl());
    out.println();
    out.println("Press Ctrl-C to stop.");
    out.flush();
    UntilStopped.await("weft-up", weft::close);
    return Weft.OK;
  }
}
