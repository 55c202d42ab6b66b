package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.core.api.ModelRegistry;
import io.weft.core.api.RunView;
import io.weft.core.api.WorkflowYaml;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.ml.internals.data.LabeledData;
import io.weft.schemas.models.ModelVersion;
import io.weft.serving.InferenceServer;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.RoutingArtifactStore;
import io.weft.workers.api.WorkerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Artifacts on S3 end to end: workers configured with {@code worker.artifact.uri=s3://...} run the
 * MNIST pipeline (one epoch) against a real S3 API server, every artifact reference is an {@code
 * s3://} URI, and the inference service loads the promoted model from S3 and answers predictions.
 */
@ExtendWith(WeftStackExtension.class)
class S3ArtifactsIT {

  private static final String BUCKET = "weft-artifacts";
  private static final String LOCATION = "s3://" + BUCKET + "/mnist";

  private WeftInstallation kit;
  private S3Server s3;
  private InferenceServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (kit != null) {
      kit.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void shouldTrainWithArtifactsInS3AndServeTheModelFromThere(WeftStack stack) throws Exception {
    // given: workers storing artifacts in S3, nothing in their local artifact directory
    kit = WeftInstallation.forTests(stack, "s3-artifacts").withHandlers(new TestHandlers());
    s3 = S3Server.start(kit.dir().resolve("s3"), BUCKET);
    Map<String, Object> artifacts = new HashMap<>(s3.settings());
    artifacts.put("artifact.cache.dir", kit.dir().resolve("worker-cache").toString());
    artifacts.put(WorkerConfig.ARTIFACT_URI_CONFIG, LOCATION);
    kit.withWorkerSettings(artifacts).startCoordinator();
    kit.startWorker(Map.of("worker.concurrency", "2"), Mnist.TASK_TYPES);
    kit.client().register(WorkflowYaml.read(Mnist.ROOT.resolve("examples/mnist.yaml")));

    // when: the example pipeline, trained for one epoch
    Map<String, Object> params = new HashMap<>(Mnist.params());
    params.put("epochs", 1);
    params.put("minAccuracy", 0.5);
    String runId = kit.client().startRun("mnist", params);
    RunView run = kit.client().awaitCompletion(runId, Duration.ofMinutes(10));

    // then: every artifact is an object under the configured location
    assertThat(run.status()).as(String.valueOf(run.error())).isEqualTo(RunView.Status.SUCCEEDED);
    String prefix = LOCATION + "/" + runId + "/";
    Map<String, JsonNode> prepare = outputs(run, "prepare");
    List<JsonNode> refs =
        List.of(
            prepare.get("train"),
            prepare.get("validation"),
            prepare.get("test"),
            outputs(run, "train").get("model"),
            outputs(run, "register").get("model"));
    assertThat(refs)
        .extracting(ref -> ref.get("uri").asText())
        .allSatisfy(uri -> assertThat(uri).startsWith(prefix))
        .contains(prefix + "prepare/1/test.ndlist");
    assertThat(s3.keys(BUCKET)).contains("mnist/" + runId + "/train/1/model.params");
    assertThat(kit.artifactDir()).doesNotExist();
    int version = run.tasks().get("register").outputs().get("version").asInt();
    try (ModelRegistry registry = ModelRegistry.create(kit.connection())) {
      ModelVersion production = registry.production("mnist").orElseThrow();
      assertThat(production.getVersion()).isEqualTo(version);
      assertThat(production.getArtifact().getUri()).startsWith(prefix + "train/");
    }

    // and the inference service, configured with the same store, serves the model from S3
    Map<String, Object> serving = kit.connection();
    serving.putAll(s3.settings());
    serving.put("serve.artifact.uri", LOCATION);
    serving.put("artifact.cache.dir", kit.dir().resolve("serving-cache").toString());
    serving.put("serve.port", "0");
    server = InferenceServer.start(serving);
    V2 v2 = new V2(server.uri());
    v2.awaitReady("mnist", Duration.ofSeconds(60));
    LabeledData test;
    try (RoutingArtifactStore store = new WorkerConfig(kit.workerSettings()).artifactStore()) {
      test = MnistPipelineIT.dataset(store, prepare.get("test"));
    }
    LabeledData sample = MnistPipelineIT.sample(test, 20, new Random(42));
    List<Long> labels = v2.labels("mnist", sample, 0, 20);
    int right = 0;
    for (int i = 0; i < 20; i++) {
      right += labels.get(i) == sample.labels()[i] ? 1 : 0;
    }
    assertThat(right).as("right answers for 20 test digits").isGreaterThanOrEqualTo(15);
  }

  private static Map<String, JsonNode> outputs(RunView run, String taskId) {
    return run.tasks().get(taskId).outputs();
  }
}
