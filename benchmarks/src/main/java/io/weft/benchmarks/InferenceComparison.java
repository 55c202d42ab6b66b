package io.weft.benchmarks;

import io.micrometer.core.instrument.Timer;
import io.weft.benchmarks.InferLoad.Call;
import io.weft.benchmarks.InferLoad.Timing;
import io.weft.core.api.ModelRegistry;
import io.weft.ml.api.ModelSpec;
import io.weft.ml.internals.data.LabeledData;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.ModelVersion;
import io.weft.serving.InferenceServer;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The inference service against a direct DJL {@code Predictor} on the same model, with the same
 * number of client threads: the model is registered and promoted, served by an {@link
 * InferenceServer} on free ports, and loaded directly from the same artifact. Per protocol (v2
 * JSON, v2 binary tensors over HTTP, v2 gRPC), batch size and thread count, after a warm-up, a
 * fixed number of requests is timed on each side, cycling through rows of the validation split
 * prepared before timing (request bodies built, features copied).
 *
 * <p>Then dynamic batching: {@value #BATCH_CLIENTS} client threads sending one row each, to a
 * server without batching and to one that merges up to {@value #BATCH_CLIENTS} rows per forward
 * pass.
 */
final class InferenceComparison {

  static final String MODEL = "bench-mnist";

  /** An untrained LeNet-like CNN: a forward pass that costs more than the round trip. */
  static final String CNN = "bench-cnn";

  static final ModelSpec CNN_SPEC = new ModelSpec(ModelSpec.CNN, new int[] {120, 84}, 784, 10);
  static final int BATCH_CLIENTS = 16;
  static final long BATCH_DELAY_US = 2000;
  static final String BATCH_PROTOCOL = "binary";

  /** Forward passes of one model at once, with batching on: as many as there are cores here. */
  static final int BATCH_CONCURRENCY = 2;

  /**
   * Requests of the batching comparison, as a multiple of the plan's per cell: 16 clients at
   * thousands of rows a second need this many for a figure that is not over in a second.
   */
  static final int BATCH_REQUESTS_FACTOR = 4;

  /** The protocols compared, in the order they are measured. */
  static final List<String> PROTOCOLS = List.of("JSON", "binary", "gRPC");

  private static final int DISTINCT_REQUESTS = 16;
  private static final long READY_TIMEOUT_MS = 60_000;

  /**
   * One protocol at one batch size and thread count, and the direct Predictor beside it.
   *
   * @param serverMillis the server's own mean time per request, from reading it to its answer
   *     (parse, forward pass, answer; {@code weft.inference.latency}): the rest of the client's
   *     latency is the round trip
   * @param carried the same requests for a model that is not served, in the same round ({@link
   *     InferenceClients#carriers}), or null for JSON
   */
  record Comparison(
      String protocol,
      int batch,
      int threads,
      Timing weft,
      Timing direct,
      double serverMillis,
      CpuSplit weftCpu,
      CpuSplit directCpu,
      Timing carried) {

    /**
     * The most rows/s a service could answer with these clients here if it added nothing to
     * carrying a request and its answer but the forward pass: a request costs its carriage plus the
     * direct call, in CPU when the cores are busy, in time when one thread waits for each; NaN
     * without a carriage.
     */
    double boundRowsPerSecond() {
      return carried == null
          ? Double.NaN
          : 1 / (1 / carried.rowsPerSecond() + 1 / direct.rowsPerSecond());
    }
  }

  /** Batch-1 clients against the service without and with dynamic batching. */
  record Batched(
      String model,
      String protocol,
      int clients,
      int maxBatch,
      Timing off,
      Timing on,
      Timing directSingle,
      Timing directBatched,
      Timing floor,
      CpuSplit offCpu,
      CpuSplit onCpu) {
    /**
     * The most rows/s merging can give with these clients: each request's carriage (the {@link
     * #floor}: the same requests for a model that is not served) plus its share of a full batch's
     * forward pass, if the server added nothing.
     */
    double boundRowsPerSecond() {
      return 1 / (1 / floor.rowsPerSecond() + 1 / directBatched.rowsPerSecond());
    }
  }

  /**
   * Where a timed run's CPU went, in microseconds a request: the inference service's threads
   * ({@code weft-serving-*}: event loops, workers, batch runners), everything else that was running
   * before and after it (the broker, the registry), the JVM's own threads (GC, JIT; {@link
   * ThreadCpu#jvmOwnNanos}), and the rest of the process: the clients (their threads, which live
   * only for the run, and a gRPC channel's transport).
   */
  record CpuSplit(double serverMicros, double otherMicros, double jvmMicros, double clientsMicros) {

    /**
     * Times {@code requests} calls of {@code rows} rows on {@code threads} threads ({@link
     * InferLoad#time}) and splits the process's CPU during them over the calls.
     */
    static Timed time(Call call, int requests, int rows, int threads) throws Exception {
      ThreadCpu.Snapshot before = ThreadCpu.snapshot();
      long processBefore = LogVolume.cpuNanos();
      long jvmBefore = ThreadCpu.jvmOwnNanos();
      Timing timing = InferLoad.time(call, requests, rows, threads);
      long process = LogVolume.cpuNanos() - processBefore;
      long jvm = ThreadCpu.jvmOwnNanos() - jvmBefore;
      long server = 0;
      long other = 0;
      for (Map.Entry<String, Long> group : ThreadCpu.snapshot().since(before).entrySet()) {
        if (group.getKey().startsWith("weft-serving-")) {
          server += group.getValue();
        } else if (!group.getKey().startsWith(GrpcBenchClient.THREADS)) {
          other += group.getValue(); // a gRPC client's transport counts as the clients'
        }
      }
      double perRequest = 1e3 * requests;
      return new Timed(
          timing,
          new CpuSplit(
              server / perRequest,
              other / perRequest,
              jvm / perRequest,
              Math.max(0, process - server - other - jvm) / perRequest));
    }
  }

  /** A timed run and where its CPU went. */
  record Timed(Timing timing, CpuSplit cpu) {}

  /**
   * Round trips that run no model (HTTP {@code GET /v2/health/ready}, gRPC {@code ServerReady}):
   * the most calls per second a protocol carries with these clients on this machine.
   */
  record Floor(String protocol, int threads, Timing timing) {}

  /** Everything measured. */
  record Result(List<Comparison> comparisons, List<Floor> floors, List<Batched> batching) {}

  Result run(
      BenchContext context,
      MnistArtifacts data,
      ArtifactRef model,
      Map<String, String> properties,
      List<Integer> batches,
      List<Integer> threads)
      throws Exception {
    WeftInstallation installation = context.installation();
    ArtifactRef cnn = CnnParameters.store(data.store(), CNN_SPEC);
    try (ModelRegistry registry = ModelRegistry.create(installation.connection())) {
      ModelVersion version = registry.register(MODEL, model, Map.of(), properties, null, null);
      registry.promote(MODEL, version.getVersion(), null, true);
      ModelVersion cnnVersion =
          registry.register(CNN, cnn, Map.of(), CNN_SPEC.toProperties(), null, null);
      registry.promote(CNN, cnnVersion.getVersion(), null, true);
    }
    LabeledData rows = data.read(data.validation());
    List<Comparison> comparisons = new ArrayList<>();
    List<Floor> floors = new ArrayList<>();
    Plan plan = context.plan();
    try (InferenceServer server = InferenceServer.start(settings(installation, Map.of()));
        DirectPredictor direct = new DirectPredictor(data.store(), model, properties)) {
      awaitReady(server);
      InferenceClients clients = new InferenceClients(server, MODEL);
      for (int batch : batches) {
        Inputs inputs = new Inputs(rows, batch);
        Map<String, Call> protocols = clients.calls(inputs, direct);
        Map<String, Call> carriers = clients.carriers(inputs);
        Call predictor = i -> direct.predict(inputs.features(i), batch);
        for (int n : threads) {
          comparisons.addAll(compare(server, predictor, protocols, carriers, batch, n, plan));
        }
      }
      for (Map.Entry<String, Call> probe : clients.probes().entrySet()) {
        for (int n : threads) {
          InferLoad.warmUp(probe.getValue(), plan.inferWarmUp(), plan, 1, n);
          floors.add(
              new Floor(
                  probe.getKey(), n, InferLoad.time(probe.getValue(), plan.inferRequests(), 1, n)));
        }
      }
      clients.close();
    }
    List<Batched> batching = new ArrayList<>();
    try (DirectPredictor mlp = new DirectPredictor(data.store(), model, properties);
        DirectPredictor lenet = new DirectPredictor(data.store(), cnn, CNN_SPEC.toProperties())) {
      batching.add(batching(installation, plan, rows, MODEL, mlp));
      batching.add(batching(installation, plan, rows, CNN, lenet));
    }
    return new Result(comparisons, floors, batching);
  }

  /** One timed run of one side of a comparison. */
  private record Measured(Timing timing, CpuSplit cpu, double serverMillis) {}

  /**
   * The direct call against each protocol at {@code batch} rows and {@code threads} client threads:
   * each warmed up, then {@link Plan#inferRounds} rounds of the direct call and each protocol in
   * turn, so that a drift of the machine's speed touches both sides; for each protocol, the round
   * whose ratio is the median.
   */
  private static List<Comparison> compare(
      InferenceServer server,
      Call predictor,
      Map<String, Call> protocols,
      Map<String, Call> carriers,
      int batch,
      int threads,
      Plan plan)
      throws Exception {
    InferLoad.warmUp(predictor, plan.inferWarmUp(), plan, batch, threads);
    for (Call call : protocols.values()) {
      InferLoad.warmUp(call, plan.inferWarmUp(), plan, batch, threads);
    }
    for (Call call : carriers.values()) {
      InferLoad.warmUp(call, plan.inferWarmUp(), plan, batch, threads);
    }
    List<Measured> direct = new ArrayList<>();
    Map<String, List<Measured>> weft = new LinkedHashMap<>();
    Map<String, List<Timing>> carried = new LinkedHashMap<>();
    for (int round = 0; round < plan.inferRounds(); round++) {
      direct.add(measure(null, predictor, batch, threads, plan));
      for (Map.Entry<String, Call> protocol : protocols.entrySet()) {
        weft.computeIfAbsent(protocol.getKey(), p -> new ArrayList<>())
            .add(measure(server, protocol.getValue(), batch, threads, plan));
      }
      for (Map.Entry<String, Call> carrier : carriers.entrySet()) {
        carried
            .computeIfAbsent(carrier.getKey(), p -> new ArrayList<>())
            .add(InferLoad.time(carrier.getValue(), plan.inferRequests(), batch, threads));
      }
    }
    List<Comparison> comparisons = new ArrayList<>();
    weft.forEach(
        (protocol, rounds) -> {
          List<Integer> order = new ArrayList<>();
          for (int r = 0; r < rounds.size(); r++) {
            order.add(r);
          }
          order.sort(
              Comparator.comparingDouble(
                  r ->
                      rounds.get(r).timing().rowsPerSecond()
                          / direct.get(r).timing().rowsPerSecond()));
          int median = order.get(order.size() / 2);
          Measured w = rounds.get(median);
          Measured d = direct.get(median);
          comparisons.add(
              new Comparison(
                  protocol,
                  batch,
                  threads,
                  w.timing(),
                  d.timing(),
                  w.serverMillis(),
                  w.cpu(),
                  d.cpu(),
                  carried.containsKey(protocol) ? carried.get(protocol).get(median) : null));
        });
    return comparisons;
  }

  /** A timed run of {@code call}, with the server's own time per request if there is a server. */
  private static Measured measure(
      InferenceServer server, Call call, int batch, int threads, Plan plan) throws Exception {
    ServerTime before = server == null ? null : ServerTime.of(server);
    Timed timed = CpuSplit.time(call, plan.inferRequests(), batch, threads);
    double serverMillis =
        server == null ? Double.NaN : ServerTime.of(server).meanMillisSince(before);
    return new Measured(timed.timing(), timed.cpu(), serverMillis);
  }

  /** The same clients and load on a server without batching, then on one with it. */
  private static Batched batching(
      WeftInstallation installation,
      Plan plan,
      LabeledData rows,
      String model,
      DirectPredictor direct)
      throws Exception {
    Map<String, String> off = Map.of("serve.threads", String.valueOf(BATCH_CLIENTS));
    Map<String, String> on = new LinkedHashMap<>(off);
    on.put("serve.batching.model." + model + ".max.batch", String.valueOf(BATCH_CLIENTS));
    on.put("serve.batching.model." + model + ".max.delay.us", String.valueOf(BATCH_DELAY_US));
    on.put("serve.batching.model." + model + ".concurrency", String.valueOf(BATCH_CONCURRENCY));
    Inputs inputs = new Inputs(rows, 1);
    int requests = plan.inferRequests() * BATCH_REQUESTS_FACTOR;
    Timing[] timings = new Timing[2];
    CpuSplit[] cpu = new CpuSplit[2];
    Timing floor = null;
    for (int i = 0; i < 2; i++) {
      try (InferenceServer server =
          InferenceServer.start(settings(installation, i == 0 ? off : on))) {
        awaitReady(server);
        InferenceClients clients = new InferenceClients(server, model);
        Call call = clients.calls(inputs, direct).get(BATCH_PROTOCOL);
        InferLoad.warmUp(call, plan.inferWarmUp() * BATCH_REQUESTS_FACTOR, plan, 1, BATCH_CLIENTS);
        Timed timed = CpuSplit.time(call, requests, 1, BATCH_CLIENTS);
        timings[i] = timed.timing();
        cpu[i] = timed.cpu();
        if (i == 1) { // the same requests carried, for a model that is not served
          Call carrier = clients.carriers(inputs).get(BATCH_PROTOCOL);
          InferLoad.warmUp(carrier, plan.inferWarmUp(), plan, 1, BATCH_CLIENTS);
          floor = InferLoad.time(carrier, requests, 1, BATCH_CLIENTS);
        }
        clients.close();
      }
    }
    // what merging can give at most: the forward pass alone, one row at a time against full
    // batches, on as many threads as batching runs passes
    Inputs full = new Inputs(rows, BATCH_CLIENTS);
    Call single = i -> direct.predict(inputs.features(i), 1);
    Call batched = i -> direct.predict(full.features(i), BATCH_CLIENTS);
    InferLoad.warmUp(single, plan.inferWarmUp(), plan, 1, BATCH_CONCURRENCY);
    Timing directSingle = InferLoad.time(single, requests, 1, BATCH_CONCURRENCY);
    InferLoad.warmUp(batched, plan.inferWarmUp(), plan, BATCH_CLIENTS, BATCH_CONCURRENCY);
    Timing directBatched =
        InferLoad.time(batched, requests / BATCH_CLIENTS + 1, BATCH_CLIENTS, BATCH_CONCURRENCY);
    return new Batched(
        model,
        BATCH_PROTOCOL,
        BATCH_CLIENTS,
        BATCH_CLIENTS,
        timings[0],
        timings[1],
        directSingle,
        directBatched,
        floor,
        cpu[0],
        cpu[1]);
  }

  private static Map<String, Object> settings(
      WeftInstallation installation, Map<String, String> extra) {
    Map<String, Object> settings = installation.connection();
    settings.put("serve.artifact.dir", installation.artifactDir().toString());
    settings.put("serve.host", "127.0.0.1");
    settings.put("serve.port", "0");
    settings.put("serve.models", MODEL + "," + CNN);
    settings.put("serve.grpc.port", "0");
    settings.putAll(extra);
    return settings;
  }

  /** The inference requests a server has timed so far ({@code weft.inference.latency}). */
  private record ServerTime(long count, double totalMillis) {

    static ServerTime of(InferenceServer server) {
      long count = 0;
      double total = 0;
      for (Timer timer :
          server.meterRegistry().find("weft.inference.latency").tag("model", MODEL).timers()) {
        count += timer.count();
        total += timer.totalTime(TimeUnit.MILLISECONDS);
      }
      return new ServerTime(count, total);
    }

    double meanMillisSince(ServerTime before) {
      long n = count - before.count;
      return n == 0 ? Double.NaN : (totalMillis - before.totalMillis) / n;
    }
  }

  /** {@value #DISTINCT_REQUESTS} different inputs of {@code batch} rows, cycled through. */
  static final class Inputs {
    private final float[][] features = new float[DISTINCT_REQUESTS][];
    private final int batch;
    private final int width;

    Inputs(LabeledData rows, int batch) {
      this.batch = batch;
      this.width = rows.width();
      for (int i = 0; i < DISTINCT_REQUESTS; i++) {
        int from = (i * batch) % (rows.size() - batch);
        features[i] = Arrays.copyOfRange(rows.features(), from * width, (from + batch) * width);
      }
    }

    float[] features(int request) {
      return features[request % DISTINCT_REQUESTS];
    }

    int batch() {
      return batch;
    }

    int width() {
      return width;
    }

    int distinct() {
      return DISTINCT_REQUESTS;
    }
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
