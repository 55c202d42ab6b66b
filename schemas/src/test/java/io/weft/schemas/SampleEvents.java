package io.weft.schemas;

import io.weft.schemas.commands.CancelRun;
import io.weft.schemas.commands.RetryRun;
import io.weft.schemas.commands.RunCommand;
import io.weft.schemas.commands.StartRun;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.common.FailurePolicy;
import io.weft.schemas.common.RetryPolicy;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.common.TaskUsage;
import io.weft.schemas.definitions.TaskDef;
import io.weft.schemas.definitions.WorkflowDef;
import io.weft.schemas.events.RunCancelled;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunStarted;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.events.TaskFailed;
import io.weft.schemas.events.TaskProgressed;
import io.weft.schemas.events.TaskRetrying;
import io.weft.schemas.events.TaskScheduled;
import io.weft.schemas.events.TaskSkipped;
import io.weft.schemas.events.TaskStarted;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.schemas.events.TaskTimedOut;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.internal.TaskStatus;
import io.weft.schemas.models.AliasChange;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import io.weft.schemas.results.TaskHeartbeat;
import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskProgress;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.schemas.tasks.TaskTypeDeclared;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated instance of every event type Weft writes, for round-trip tests. */
public final class SampleEvents {

  public static final String RUN = "run-42";
  private static final Instant AT = Instant.ofEpochMilli(1_795_000_000_123L);
  private static final ArtifactRef MODEL =
      new ArtifactRef(
          "file:///data/artifacts/run-42/train/model.params",
          "ab".repeat(32),
          401_234L,
          "application/x-djl-params");
  private static final TaskError OOM =
      new TaskError("java.lang.OutOfMemoryError", "heap exhausted in epoch 3", true);

  static {
    GeneratedClasses.trust();
  }

  private SampleEvents() {}

  /** A sample of every value type, grouped by the topic's envelope class. */
  public static Map<Class<? extends SpecificRecord>, List<SpecificRecord>> byType() {
    return Map.of(
        WorkflowDef.class, List.of(workflowDef()),
        RunCommand.class, commands(),
        TaskRequest.class, List.of(taskRequest()),
        TaskTypeDeclared.class,
            List.of(new TaskTypeDeclared("train", "Trains a model", "worker-1", AT)),
        TaskReport.class, reports(),
        RunEvent.class, runEvents(),
        ModelVersion.class, List.of(modelVersion()),
        ModelAliasChanged.class, List.of(aliasChanged()),
        RunState.class, List.of(runState()));
  }

  public static WorkflowDef workflowDef() {
    TaskDef prepare =
        TaskDef.newBuilder()
            .setId("prepare")
            .setType("prepare-data")
            .setParams(Map.of("source", "\"data/mnist\"", "seed", "7"))
            .build();
    TaskDef train =
        TaskDef.newBuilder()
            .setId("train")
            .setType("train")
            .setDependsOn(List.of("prepare"))
            .setParams(
                Map.of(
                    "data", "\"${tasks.prepare.outputs.train}\"", "epochs", "\"${params.epochs}\""))
            .setRetry(new RetryPolicy(3, 1_000L, 2.0, 30_000L))
            .setTimeoutMs(1_800_000L)
            .setWhen("${params.epochs} > 0")
            .setForEach("${params.grid}")
            .setOnFailure(FailurePolicy.CONTINUE)
            .build();
    return WorkflowDef.newBuilder()
        .setName("mnist-train")
        .setVersion(1)
        .setDescription("Train an MLP on MNIST")
        .setParams(Map.of("epochs", "5", "grid", "[0.01,0.001]"))
        .setTasks(List.of(prepare, train))
        .setRegisteredAt(AT)
        .build();
  }

  public static List<SpecificRecord> commands() {
    return List.of(
        new RunCommand(
            new StartRun(RUN, "nightly-2026-11-27", "mnist-train", 1, Map.of("epochs", "3"), AT)),
        new RunCommand(new StartRun(RUN + "-latest", null, "mnist-train", null, Map.of(), AT)),
        new RunCommand(new CancelRun(RUN, "operator request", AT)),
        new RunCommand(new RetryRun(RUN, AT)));
  }

  public static TaskRequest taskRequest() {
    return TaskRequest.newBuilder()
        .setRunId(RUN)
        .setTaskId("train")
        .setAttempt(2)
        .setType("train")
        .setParams(Map.of("epochs", "5", "lr", "0.01"))
        .setUpstream(
            Map.of(
                "prepare",
                Map.of(
                    "train", new TaskOutput(null, MODEL), "count", new TaskOutput("8000", null))))
        .setDeadline(AT.plusSeconds(1800))
        .setIdempotencyKey(RUN + "/train/2")
        .setScheduledAt(AT)
        .build();
  }

  public static List<SpecificRecord> reports() {
    TaskResult succeeded =
        TaskResult.newBuilder()
            .setRunId(RUN)
            .setTaskId("train")
            .setAttempt(2)
            .setStatus(TaskOutcome.SUCCEEDED)
            .setOutputs(
                Map.of(
                    "model", new TaskOutput(null, MODEL), "accuracy", new TaskOutput("0.93", null)))
            .setMetrics(Map.of("accuracy", 0.93, "loss", 0.21))
            .setWorkerId("worker-1")
            .setStartedAt(AT)
            .setFinishedAt(AT.plusSeconds(60))
            .build();
    TaskResult failed =
        TaskResult.newBuilder(succeeded)
            .setStatus(TaskOutcome.FAILED)
            .setOutputs(Map.of())
            .setError(OOM)
            .build();
    return List.of(
        new TaskReport(succeeded),
        new TaskReport(failed),
        new TaskReport(new TaskHeartbeat(RUN, "train", 2, "worker-1", AT, AT.minusSeconds(3))),
        new TaskReport(
            new TaskProgress(
                RUN,
                "train",
                2,
                "worker-1",
                3L,
                5L,
                Map.of("loss", 0.3, "trainAccuracy", 0.9),
                "epoch 3/5",
                AT)));
  }

  public static List<SpecificRecord> runEvents() {
    List<Object> events =
        List.of(
            new RunStarted("mnist-train", 1, Map.of("epochs", "5"), "nightly"),
            new TaskScheduled(
                "train", "train", 1, AT.plusSeconds(1800), null, null, AT.plusSeconds(600), true),
            new TaskScheduled(
                "sweep[1]", "train", 1, AT.plusSeconds(1800), "0.001", 2, null, false),
            new TaskStarted("train", 1, "worker-1", AT.plusSeconds(1800), AT),
            new TaskProgressed(
                "train", 1, 3L, 5L, Map.of("loss", 0.3), "epoch 3/5: loss 0.3", "worker-1"),
            new TaskSucceeded(
                "train",
                1,
                Map.of("model", new TaskOutput(null, MODEL)),
                Map.of("accuracy", 0.93),
                "worker-1",
                60_000L,
                new TaskUsage(60_000L, 58_000L, 2L << 30)),
            new TaskFailed("train", 1, OOM, "worker-1", false),
            new TaskRetrying("train", 2, AT.plusSeconds(2), "heap exhausted in epoch 3"),
            new TaskTimedOut("train", 2, 1_800_000L, false),
            new TaskSkipped("promote", "${tasks.pick.outputs.accuracy} >= 0.9 was false"),
            new RunSucceeded(120_000L),
            new RunFailed("train", OOM),
            new RunCancelled("operator request"));
    List<SpecificRecord> records = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      records.add(new RunEvent(RUN, (long) i, AT.plusMillis(i), events.get(i)));
    }
    return records;
  }

  public static ModelVersion modelVersion() {
    return ModelVersion.newBuilder()
        .setName("mnist-mlp")
        .setVersion(3)
        .setArtifact(MODEL)
        .setMetrics(Map.of("testAccuracy", 0.931))
        .setProperties(Map.of("architecture", "mlp", "inputShape", "[784]"))
        .setSourceRunId(RUN)
        .setSourceTaskId("train")
        .setCreatedAt(AT)
        .build();
  }

  public static ModelAliasChanged aliasChanged() {
    return ModelAliasChanged.newBuilder()
        .setName("mnist-mlp")
        .setAlias("production")
        .setVersion(2)
        .setPreviousVersion(3)
        .setHistory(List.of(1, 2))
        .setChange(AliasChange.ROLLBACK)
        .setReason("rollback requested")
        .setChangedAt(AT)
        .build();
  }

  public static RunState runState() {
    TaskState done =
        TaskState.newBuilder()
            .setStatus(TaskStatus.SUCCEEDED)
            .setAttempt(1)
            .setOutputs(Map.of("train", new TaskOutput(null, MODEL)))
            .setScheduledAt(AT)
            .setStartedAt(AT)
            .setFinishedAt(AT.plusSeconds(5))
            .build();
    return RunState.newBuilder()
        .setRunId(RUN)
        .setWorkflowName("mnist-train")
        .setWorkflowVersion(1)
        .setParams(Map.of("epochs", "5"))
        .setStatus(RunStatus.RUNNING)
        .setTasks(Map.of("prepare", done, "train", TaskState.newBuilder().build()))
        .setNextSequence(4L)
        .setStartedAt(AT)
        .build();
  }
}
