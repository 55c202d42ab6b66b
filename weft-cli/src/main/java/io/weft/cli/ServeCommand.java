package io.weft.cli;

import io.weft.serving.InferenceConfig;
import io.weft.serving.InferenceServer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft serve}: the inference service, until interrupted. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the inference service until interrupted: the production version of each registered"
          + " model over HTTP, in the KServe Open Inference Protocol v2 (GET /v2/health/ready,"
          + " GET /v2/models/NAME, POST /v2/models/NAME/infer). It follows the model registry and"
          + " swaps versions on promote and rollback without failing requests in flight.",
      "--config takes the service's keys (serve.port, serve.artifact.uri, artifact.s3.*, serve.max.batch, ...)."
    })
final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(names = "--host", description = "Address to listen on (serve.host).")
  String host;

  @Option(names = "--port", description = "Port to listen on; 0 for a free one (serve.port).")
  Integer port;

  @Option(
      names = "--grpc-port",
      description =
          "Also answer the v2 protocol over gRPC on this port; 0 for a free one, -1 for none"
              + " (serve.grpc.port; default none).")
  Integer grpcPort;

  @Option(
      names = "--threads",
      description =
          "Threads answering requests, as many again for gRPC (serve.threads, default 4); a"
              + " request waiting for its batch holds none.")
  Integer threads;

  @Option(
      names = "--max-batch-delay-us",
      paramLabel = "US",
      description =
          "Dynamic batching for every model that can be batched: how long a request waits for"
              + " others to join its forward pass (serve.batching.max.delay.us); set with"
              + " --max-batch.")
  Long maxBatchDelay;

  @Option(
      names = "--max-batch",
      paramLabel = "ROWS",
      description =
          "Dynamic batching: the most rows of one merged forward pass; 1, the default, is off"
              + " (serve.batching.max.batch; per model in --config:"
              + " serve.batching.model.<name>.max.batch).")
  Integer maxBatch;

  @Option(
      names = "--artifact-dir",
      description = "Where the workers store artifacts, models included (serve.artifact.dir).")
  String artifactDir;

  @Option(
      names = "--artifact-uri",
      paramLabel = "URI",
      description =
          "The workers' artifact store as a URI, file:///path or s3://bucket/prefix"
              + " (serve.artifact.uri); S3 settings (artifact.s3.*) go in --config.")
  String artifactUri;

  @Option(
      names = "--models",
      split = ",",
      paramLabel = "NAME",
      description =
          "Serve only these models (serve.models; default: all with a production version).")
  List<String> models = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    Map<String, Object> settings = new HashMap<>(connection.componentSettings());
    putIfSet(settings, InferenceConfig.HOST_CONFIG, host);
    putIfSet(settings, InferenceConfig.PORT_CONFIG, port);
    putIfSet(settings, InferenceConfig.GRPC_PORT_CONFIG, grpcPort);
    putIfSet(settings, InferenceConfig.THREADS_CONFIG, threads);
    putIfSet(settings, InferenceConfig.BATCHING_MAX_BATCH_CONFIG, maxBatch);
    putIfSet(settings, InferenceConfig.BATCHING_MAX_DELAY_CONFIG, maxBatchDelay);
    putIfSet(settings, InferenceConfig.ARTIFACT_DIR_CONFIG, artifactDir);
    putIfSet(settings, InferenceConfig.ARTIFACT_URI_CONFIG, artifactUri);
    if (!models.isEmpty()) {
      settings.put(InferenceConfig.MODELS_CONFIG, String.join(",", models));
    }
    InferenceConfig config = new InferenceConfig(settings); // unknown keys fail by name here
    Kafka.requireReachable(Kafka.adminProps(settings));
    InferenceServer server = InferenceServer.start(settings);
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "inference service on "
            + server.uri()
            + (server.grpcPort() >= 0
                ? " and gRPC on " + server.uri().getHost() + ":" + server.grpcPort()
                : "")
            + " (models from "
            + config.artifactLocation()
            + ")");
    out.println("Press Ctrl-C to stop.");
    out.flush();
    UntilStopped.await("weft-serve", server::close);
    return Weft.OK;
  }

  private static void putIfSet(Map<String, Object> settings, String key, Object value) {
    if (value != null) {
      settings.put(key, value);
    }
  }
}
