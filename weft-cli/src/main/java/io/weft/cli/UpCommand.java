package io.weft.cli;

import io.weft.embedded.WeftStack;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft up}: the embedded broker and schema registry, until interrupted. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the embedded stack: a single-node Kafka broker and a schema registry on free"
          + " loopback ports, with all data under the work directory.",
      "Prints where to connect, then runs until interrupted (Ctrl-C)."
    })
final class UpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--work-dir",
      defaultValue = "weft-data",
      description = "Directory for the broker's data and the registry (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    out.println("Starting the embedded stack in " + workDir.toAbsolutePath() + " ...");
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    WeftStack stack = WeftStack.start(workDir, workDir.resolve("dist"));
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "weft-up-stop"));
    out.println("bootstrap servers:   " + stack.bootstrapServers());
    out.println("schema registry URL: " + stack.schemaRegistryUrl());
    out.println("Press Ctrl-C to stop.");
    out.flush();
    stopped.await();
    return Weft.OK;
  }
}
