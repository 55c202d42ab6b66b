package io.weft.benchmarks;

import io.weft.core.api.ModelRegistry;
import io.weft.ml.internals.data.LabeledData;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.ModelVersion;
import io.weft.serving.InferenceServer;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The inference service's v2 HTTP infer against a direct DJL {@code Predictor} on the same model,
 * one client thread, batch after batch: the model is registered and promoted, served by an {@link
 * InferenceServer} on a free port, and loaded directly from the same artifact. Per batch size,
 * after a warm-up of each side, a fixed number of requests is timed on each side, cycling through
 * rows of the validation split prepared before timing (request bodies built, features copied).
 */
final class InferenceComparison {

  private static final String MODEL = "bench-mnist";
  private static final int DISTINCT_REQUESTS = 16;
  private static final long READY_TIMEOUT_MS = 60_000;

  /** Timings of one side at one batch size. */
  record Timing(double rowsPerSecond, double p99Millis, int requests) {}

  /** Both sides at one batch size. */
  record Comparison(int batch, Timing weft, Timing direct) {}

  @FunctionalInterface
  private interface Call {
    void run(int request) throws Exception;
  }

  List<Comparison> run(
      BenchContext context,
      MnistArtifacts data,
      ArtifactRef model,
      Map<String, String> properties,
      int... batches)
      throws Exception {
    WeftInstallation installation = context.installation();
    try (ModelRegistry registry = ModelRegistry.create(installation.connection())) {
      ModelVersion version = registry.register(MODEL, model, Map.of(), properties, null, null);
      registry.promote(MODEL, version.getVersion(), null, true);
    }
    Map<String, Object> settings = installation.connection();
    settings.put("serve.artifact.dir", installation.artifactDir().toString());
    settings.put("serve.host", "127.0.0.1");
    settings.put("serve.port", "0");
    settings.put("serve.models", MODEL);
    LabeledData rows = data.read(data.validation());
    List<Comparison> comparisons = new ArrayList<>();
    try (InferenceServer server = InferenceServer.start(settings);
        DirectPredictor direct = new DirectPredictor(data.store(), model, properties)) {
      awaitReady(server);
      V2Client client = new V2Client(server.uri(), MODEL);
      for (int batch : batches) {
        comparisons.add(compare(context.plan(), rows, batch, client, direct));
      }
    }
    return comparisons;
  }

  private static Comparison compare(
      Plan plan, LabeledData rows, int batch, V2Client client, DirectPredictor direct)
      throws Exception {
    float[][] features = new float[DISTINCT_REQUESTS][];
    String[] bodies = new String[DISTINCT_REQUESTS];
    for (int i = 0; i < DISTINCT_REQUESTS; i++) {
      int from = (i * batch) % (rows.size() - batch);
      features[i] =
          Arrays.copyOfRange(rows.features(), from * rows.width(), (from + batch) * rows.width());
      bodies[i] = V2Client.body(features[i], batch, rows.width());
    }
    // both sides answer the same labels
    List<Long> served = V2Client.labels(client.infer(bodies[0]));
    long[] expected = direct.predict(features[0], batch);
    if (!served.equals(Arrays.stream(expected).boxed().toList())) {
      throw new IllegalStateException(
          "The service's labels "
              + served
              + " differ from the direct Predictor's "
              + Arrays.toString(expected));
    }
    Call http = i -> client.infer(bodies[i % DISTINCT_REQUESTS]);
    Call predictor = i -> direct.predict(features[i % DISTINCT_REQUESTS], batch);
    time(predictor, plan.inferWarmUp(), batch);
    Timing directTiming = time(predictor, plan.inferRequests(), batch);
    time(http, plan.inferWarmUp(), batch);
    Timing weftTiming = time(http, plan.inferRequests(), batch);
    return new Comparison(batch, weftTiming, directTiming);
  }

  private static Timing time(Call call, int requests, int batch) throws Exception {
    List<Double> latencies = new ArrayList<>(requests);
    long began = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      long t0 = System.nanoTime();
      call.run(i);
      latencies.add((System.nanoTime() - t0) / 1e6);
    }
    double seconds = (System.nanoTime() - began) / 1e9;
    return new Timing(
        (double) requests * batch / seconds, new Percentiles(latencies).at(99), requests);
  }

  private static void awaitReady(InferenceServer server) throws InterruptedException {
    if (!server.awaitReady(Duration.ofMillis(READY_TIMEOUT_MS))) {
      throw new IllegalStateException(
          "The inference server did not load model "
              + MODEL
              + " within "
              + READY_TIMEOUT_MS
              + " ms");
    }
  }
}
