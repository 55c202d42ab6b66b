package io.weft.benchmarks;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.ml.api.ModelSpec;
import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.dl.ClassifierTraining;
import io.weft.ml.tasks.Train;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The same MLP training (784-256-128-10, batch 32, Adam at 0.001, seed 42, one PyTorch thread)
 * called directly with {@link ClassifierTraining#train} and run as a Weft {@code train} task,
 * alternately, after one short direct training has warmed up the JVM and the native engine. The
 * Weft time is the task's {@code TaskSucceeded.durationMs} (handler start to end: reading the
 * datasets, training, a checkpoint and a progress report per epoch, storing the model); the direct
 * time includes reading the same datasets from the artifact store.
 */
final class TrainingComparison {

  private static final String WORKFLOW = "bench-train";
  private static final String TASK = "train";
  private static final int[] HIDDEN = {256, 128};
  private static final int BATCH = 32;
  private static final int WARM_UP_ROWS = 2000;
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(20);

  /**
   * What the comparison measured.
   *
   * @param directMillis wall time of each direct training
   * @param weftMillis {@code durationMs} of each Weft train task
   * @param model the model the last Weft task stored, and its {@code properties}
   * @param trainRows rows of the training split
   * @param directAccuracy validation accuracy of the last direct training
   * @param weftAccuracy validation accuracy of the last Weft training
   */
  record Result(
      List<Long> directMillis,
      List<Long> weftMillis,
      ArtifactRef model,
      Map<String, String> properties,
      int trainRows,
      double directAccuracy,
      double weftAccuracy) {}

  private final Map<String, CompletableFuture<Long>> durations = new ConcurrentHashMap<>();

  Result run(BenchContext context, MnistArtifacts data) throws Exception {
    WeftInstallation installation = context.installation();
    int epochs = context.plan().trainEpochs();
    JniUtils.setNumThreads(1);
    LabeledData train = data.read(data.train());
    warmUp(train);
    Worker worker = installation.startWorker(Map.of("worker.concurrency", "1"), new Train());
    installation.client().register(workflow(epochs));
    List<Long> direct = new ArrayList<>();
    List<Long> weft = new ArrayList<>();
    double directAccuracy = Double.NaN;
    RunView last = null;
    try (EventTap tap = EventTap.start(installation, this::onEvent)) {
      for (int i = 0; i < context.plan().trainRepeats(); i++) {
        long began = System.nanoTime();
        ClassifierTraining.Result result =
            train(data.read(data.train()), data.read(data.validation()), epochs);
        direct.add((System.nanoTime() - began) / 1_000_000);
        directAccuracy = result.last().validationAccuracy();

        String runId =
            installation
                .client()
                .startRun(
                    WORKFLOW,
                    Map.of(
                        "train", MnistArtifacts.param(data.train()),
                        "validation", MnistArtifacts.param(data.validation())));
        last = installation.client().awaitCompletion(runId, RUN_TIMEOUT);
        if (last.status() != RunView.Status.SUCCEEDED) {
          throw new IllegalStateException(
              "Train run " + runId + " ended " + last.status() + ": " + last.error());
        }
        tap.check();
        weft.add(duration(runId).get(60, TimeUnit.SECONDS));
      }
    }
    worker.close(); // idle from here on: what follows measures without it
    Map<String, JsonNode> outputs = last.tasks().get(TASK).outputs();
    return new Result(
        direct,
        weft,
        artifact(outputs.get("model")),
        properties(outputs.get("properties")),
        train.size(),
        directAccuracy,
        outputs.get("validationAccuracy").asDouble());
  }

  /** One epoch on the first rows: JIT, native library and allocator warm for both sides. */
  private static void warmUp(LabeledData train) {
    int rows = Math.min(WARM_UP_ROWS, train.size());
    LabeledData head =
        new LabeledData(
            Arrays.copyOf(train.features(), rows * train.width()),
            Arrays.copyOf(train.labels(), rows),
            train.width(),
            train.classes());
    train(head, null, 1);
  }

  private static ClassifierTraining.Result train(
      LabeledData train, LabeledData validation, int epochs) {
    return ClassifierTraining.train(
        train,
        validation,
        new ClassifierTraining.Settings(
            new ModelSpec(ModelSpec.MLP, HIDDEN, train.width(), train.classes()),
            epochs,
            BATCH,
            0.001f,
            "adam",
            42),
        ClassifierTraining.Start.fresh(),
        (metrics, parameters) -> true);
  }

  private static WorkflowDefinition workflow(int epochs) {
    return WorkflowDefinition.builder(WORKFLOW, 1)
        .param("train", null)
        .param("validation", null)
        .task(
            TaskDefinition.builder(TASK, Train.TYPE)
                .param("train", "${params.train}")
                .param("validation", "${params.validation}")
                .param("hidden", List.of(HIDDEN[0], HIDDEN[1]))
                .param("epochs", epochs)
                .param("batchSize", BATCH)
                .param("learningRate", 0.001)
                .param("optimizer", "adam")
                .param("seed", 42)
                .param("threads", 1)
                .timeout(RUN_TIMEOUT)
                .build())
        .build();
  }

  private CompletableFuture<Long> duration(String runId) {
    return durations.computeIfAbsent(runId, id -> new CompletableFuture<>());
  }

  private void onEvent(RunEvent event, long recordTimestamp, long receivedNanos) {
    if (event.getEvent() instanceof TaskSucceeded s && TASK.equals(s.getTaskId())) {
      duration(event.getRunId()).complete(s.getDurationMs());
    }
  }

  private static ArtifactRef artifact(JsonNode ref) {
    return new ArtifactRef(
        ref.get("uri").asText(),
        ref.get("sha256").asText(),
        ref.get("size").asLong(),
        ref.get("mediaType").asText());
  }

  private static Map<String, String> properties(JsonNode node) {
    Map<String, String> properties = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> properties.put(e.getKey(), e.getValue().asText()));
    return properties;
  }
}
