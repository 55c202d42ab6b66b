package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.core.api.ModelRegistry;
import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.core.api.WorkflowYaml;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.ml.api.ModelSpec;
import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.dl.ClassifierTraining;
import io.weft.ml.internals.dl.DatasetCodec;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.TaskProgressed;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.serving.InferenceServer;
import io.weft.testkit.MetricsScrape;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.LocalArtifactStore;
import io.weft.workers.api.Worker;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shipped MNIST example end to end on the real broker and registry, training for real: prepare,
 * train, evaluate, register, promote, then served over the v2 protocol.
 */
@ExtendWith(WeftStackExtension.class)
class MnistPipelineIT {

  private WeftInstallation kit;
  private InferenceServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void shouldTrainToNinetyPercentRegisterPromoteAndServeTheModel(WeftStack stack) throws Exception {
    // given
    kit =
        WeftInstallation.forTests(stack, "mnist")
            .withHandlers(new TestHandlers())
            .startCoordinator();
    Worker worker =
        kit.startWorker(
            Map.of("worker.concurrency", "2", "worker.metrics.port", "0"), Mnist.TASK_TYPES);
    kit.client().register(WorkflowYaml.read(Mnist.ROOT.resolve("examples/mnist.yaml")));

    // when
    String runId =
        kit.client()
            .startRun(
                "mnist",
                Map.of("images", Mnist.IMAGES.toString(), "labels", Mnist.LABELS.toString()));
    RunView run = kit.client().awaitCompletion(runId, Duration.ofMinutes(10));

    // then: trained in at most 5 epochs to at least 0.90 test accuracy, with progress per epoch
    assertThat(run.status()).as(String.valueOf(run.error())).isEqualTo(RunView.Status.SUCCEEDED);
    assertThat(run.tasks().get("train").outputs().get("epochs").asInt()).isLessThanOrEqualTo(5);
    double accuracy = run.tasks().get("evaluate").outputs().get("accuracy").asDouble();
    assertThat(accuracy).isGreaterThanOrEqualTo(0.90);
    List<RunEvent> log = kit.eventLog().runLog(runId);
    assertThat(
            log.stream()
                .map(RunEvent::getEvent)
                .filter(e -> e instanceof TaskProgressed p && p.getTaskId().equals("train"))
                .map(e -> ((TaskProgressed) e).getStep()))
        .containsExactly(1L, 2L, 3L, 4L, 5L);

    // and registered and promoted
    int version = run.tasks().get("register").outputs().get("version").asInt();
    assertThat(run.tasks().get("promote").outputs().get("promoted").asBoolean()).isTrue();
    try (ModelRegistry registry = ModelRegistry.create(kit.connection())) {
      assertThat(registry.production("mnist").orElseThrow().getVersion()).isEqualTo(version);
      assertThat(registry.version("mnist", version).orElseThrow().getMetrics().get("accuracy"))
          .isEqualTo(accuracy);
    }

    // and served: 10 test digits drawn at random (seed 42), at least 9 right
    LocalArtifactStore artifacts = new LocalArtifactStore(kit.artifactDir());
    LabeledData test = dataset(artifacts, run.tasks().get("prepare").outputs().get("test"));
    Map<String, Object> settings = kit.connection();
    settings.put("serve.artifact.dir", kit.artifactDir().toString());
    settings.put("serve.port", "0");
    server = InferenceServer.start(settings);
    V2 v2 = new V2(server.uri());
    v2.awaitReady("mnist", Duration.ofSeconds(30));
    LabeledData sample = sample(test, 10, new Random(42));
    List<Long> labels = v2.labels("mnist", sample, 0, 10);
    int right = 0;
    for (int i = 0; i < 10; i++) {
      right += labels.get(i) == sample.labels()[i] ? 1 : 0;
    }
    assertThat(right).as("right answers for 10 test digits").isGreaterThanOrEqualTo(9);

    // and the served model answers the whole test split as the evaluate task measured it
    long correct = 0;
    for (int from = 0; from < test.size(); from += 500) {
      int n = Math.min(500, test.size() - from);
      List<Long> batch = v2.labels("mnist", test, from, n);
      for (int i = 0; i < n; i++) {
        correct += batch.get(i) == test.labels()[from + i] ? 1 : 0;
      }
    }
    assertThat((double) correct / test.size()).isCloseTo(accuracy, within(1e-9));

    // and each component's /metrics shows what the run and the requests imply, in the text
    // format Prometheus' own parser reads, and the same in its protobuf format
    assertCoordinatorMetrics(MetricsScrape.of(kit.queryUrl()));
    assertCoordinatorMetrics(MetricsScrape.protobuf(kit.queryUrl()));
    assertWorkerMetrics(MetricsScrape.of(worker.metricsUrl().orElseThrow()));
    int requests = 1 + (test.size() + 499) / 500;
    MetricsScrape serving = MetricsScrape.of(server.uri().toString());
    assertThat(
            serving.counter(
                "weft_inference_requests_total", Map.of("model", "mnist", "status", "200")))
        .isEqualTo(requests);
    assertThat(serving.histogramCount("weft_inference_latency_seconds", Map.of("model", "mnist")))
        .isEqualTo(requests);
    assertThat(serving.histogramSum("weft_inference_batch_size_rows", Map.of("model", "mnist")))
        .isEqualTo(10 + test.size());
    assertThat(
            serving.counter(
                "weft_inference_model_loads_total",
                Map.of("model", "mnist", "version", String.valueOf(version))))
        .isEqualTo(1);

    reportTrainingOverhead(run, artifacts);
  }

  /** One run of the five-task MNIST workflow, which succeeded. */
  private static void assertCoordinatorMetrics(MetricsScrape coordinator) {
    Map<String, String> mnist = Map.of("workflow", "mnist");
    assertThat(coordinator.counter("weft_runs_started_total", mnist)).isEqualTo(1);
    assertThat(coordinator.counter("weft_runs_succeeded_total", mnist)).isEqualTo(1);
    assertThat(coordinator.names()).as("no run failed").doesNotContain("weft_runs_failed_total");
    assertThat(
            coordinator.histogramCount(
                "weft_run_duration_seconds", Map.of("workflow", "mnist", "status", "succeeded")))
        .isEqualTo(1);
    assertThat(coordinator.counter("weft_task_dispatches_total", Map.of())).isEqualTo(5);
    assertThat(coordinator.counter("weft_task_dispatches_total", Map.of("type", "train")))
        .isEqualTo(1);
    // a hop per task: the start command made the first ready, each result the next
    assertThat(coordinator.histogramCount("weft_dispatch_hop_seconds", Map.of())).isEqualTo(5);
    assertThat(coordinator.gauge("weft_runs_in_flight", Map.of())).isZero();
    assertThat(coordinator.names()).anyMatch(name -> name.startsWith("kafka_stream_"));
    assertThat(coordinator.names()).contains("jvm_memory_used_bytes");
  }

  /** Each task of the run once, the training with its five epochs' progress. */
  private static void assertWorkerMetrics(MetricsScrape worker) {
    Map<String, String> train = Map.of("type", "train");
    assertThat(worker.counter("weft_worker_tasks_started_total", Map.of())).isEqualTo(5);
    assertThat(worker.counter("weft_worker_tasks_succeeded_total", train)).isEqualTo(1);
    assertThat(worker.counter("weft_worker_tasks_failed_total", Map.of())).isZero();
    assertThat(worker.counter("weft_worker_progress_reports_total", train)).isEqualTo(5);
    assertThat(
            worker.histogramCount(
                "weft_worker_task_duration_seconds",
                Map.of("type", "train", "outcome", "succeeded")))
        .isEqualTo(1);
    assertThat(worker.histogramSum("weft_worker_task_duration_seconds", train)).isPositive();
    assertThat(worker.histogramSum("weft_worker_handler_cpu_seconds", train)).isPositive();
    assertThat(worker.histogramCount("weft_worker_queue_wait_seconds", Map.of())).isEqualTo(5);
    assertThat(worker.gauge("weft_worker_tasks_in_flight", train)).isZero();
    assertThat(worker.names()).anyMatch(name -> name.startsWith("kafka_consumer_"));
    // the transactional producers' client metrics, by client id
    assertThat(
            worker.samples("kafka_producer_record_send_total", Map.of()).stream()
                .map(s -> s.labels().get("client_id")))
        .anyMatch(id -> id.contains("results-train"));
  }

  @Test
  void shouldFailThePrepareTaskWithoutRetryNamingACorruptIdxFile(WeftStack stack) throws Exception {
    // given
    kit = Mnist.installation(stack, "mnist-bad", Map.of());
    java.nio.file.Path corrupt =
        java.nio.file.Files.createDirectories(kit.artifactDir().getParent().resolve("bad"))
            .resolve("corrupt-images-idx3-ubyte");
    java.nio.file.Files.write(corrupt, new byte[] {0, 0, 8, 3, 0, 0, 0, 5, 0, 0});

    // when
    String runId =
        kit.client()
            .startRun(
                "mnist", Map.of("images", corrupt.toString(), "labels", Mnist.LABELS.toString()));
    RunView run = kit.client().awaitCompletion(runId, Duration.ofMinutes(2));

    // then
    assertThat(run.status()).isEqualTo(RunView.Status.FAILED);
    assertThat(run.failedTaskId()).isEqualTo("prepare");
    List<io.weft.schemas.events.TaskFailed> failures =
        kit.eventLog().runLog(runId).stream()
            .map(RunEvent::getEvent)
            .filter(e -> e instanceof io.weft.schemas.events.TaskFailed)
            .map(io.weft.schemas.events.TaskFailed.class::cast)
            .toList();
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0).getError().getMessage()).contains(corrupt.toString());
    assertThat(failures.get(0).getError().getRetryable()).isFalse();
  }

  /**
   * The same training as a Weft {@code train} task and called directly (same data, seed, thread
   * settings), both after the JVM has trained once already: prints samples/s of both and their
   * ratio, and checks that both trained a model of the same quality. The direct call includes
   * reading the datasets, as the task does.
   */
  private void reportTrainingOverhead(RunView run, LocalArtifactStore artifacts) throws Exception {
    JsonNode trainRef = run.tasks().get("prepare").outputs().get("train");
    JsonNode validationRef = run.tasks().get("prepare").outputs().get("validation");
    kit.client()
        .register(
            WorkflowDefinition.builder("train-only", 1)
                .param("train", null)
                .param("validation", null)
                .task(
                    TaskDefinition.builder("train", "train")
                        .param("train", "${params.train}")
                        .param("validation", "${params.validation}")
                        .param("hidden", List.of(256, 128))
                        .param("batchSize", 32)
                        .build())
                .build());
    String runId =
        kit.client().startRun("train-only", Map.of("train", trainRef, "validation", validationRef));
    RunView trained = kit.client().awaitCompletion(runId, Duration.ofMinutes(5));
    assertThat(trained.status()).isEqualTo(RunView.Status.SUCCEEDED);
    long weftMillis =
        kit.eventLog().runLog(runId).stream()
            .map(RunEvent::getEvent)
            .filter(e -> e instanceof TaskSucceeded)
            .mapToLong(e -> ((TaskSucceeded) e).getDurationMs())
            .findFirst()
            .orElseThrow();

    long began = System.nanoTime();
    LabeledData train = dataset(artifacts, trainRef);
    LabeledData validation = dataset(artifacts, validationRef);
    ClassifierTraining.Result direct =
        ClassifierTraining.train(
            train,
            validation,
            new ClassifierTraining.Settings(
                new ModelSpec("mlp", new int[] {256, 128}, train.width(), 10),
                5,
                32,
                0.001f,
                "adam",
                42),
            ClassifierTraining.Start.fresh(),
            (metrics, parameters) -> true);
    long directMillis = (System.nanoTime() - began) / 1_000_000;

    double samples = 5.0 * train.size();
    double weftRate = samples / (weftMillis / 1000.0);
    double directRate = samples / (directMillis / 1000.0);
    System.out.printf(
        "Training MLP 784-256-128-10, %d digits x 5 epochs: Weft train task %.0f samples/s (%d ms),"
            + " direct %.0f samples/s (%d ms), ratio Weft/direct %.3f%n",
        train.size(), weftRate, weftMillis, directRate, directMillis, weftRate / directRate);
    double weftValidation =
        trained.tasks().get("train").outputs().get("validationAccuracy").asDouble();
    assertThat(direct.last().validationAccuracy()).isCloseTo(weftValidation, within(0.02));
  }

  private static org.assertj.core.data.Offset<Double> within(double offset) {
    return org.assertj.core.data.Offset.offset(offset);
  }

  /** {@code n} examples of {@code data} drawn at random. */
  static LabeledData sample(LabeledData data, int n, Random random) {
    float[] features = new float[n * data.width()];
    int[] labels = new int[n];
    for (int k = 0; k < n; k++) {
      int i = random.nextInt(data.size());
      System.arraycopy(data.features(), i * data.width(), features, k * data.width(), data.width());
      labels[k] = data.labels()[i];
    }
    return new LabeledData(features, labels, data.width(), data.classes());
  }

  static LabeledData dataset(io.weft.workers.api.ArtifactStore artifacts, JsonNode ref)
      throws Exception {
    ArtifactRef artifact =
        new ArtifactRef(
            ref.get("uri").asText(),
            ref.get("sha256").asText(),
            ref.get("size").asLong(),
            ref.get("mediaType").asText());
    try (InputStream in = artifacts.open(artifact)) {
      return DatasetCodec.decode(in.readAllBytes(), 10);
    }
  }
}
