package io.weft.it;

import static io.weft.it.Handlers.handler;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.Resources;
import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.TaskView;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.TaskFailed;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.testkit.CommittedRecords;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Workers admit requests by what their tasks declare: two 2-core tasks on a 3-core worker run one
 * after the other while a half-core one runs beside the first, a task bigger than the worker fails
 * at once with {@code weft.Unschedulable}, and a GPU task goes to its type's GPU pool, served only
 * by a worker with a GPU, without delaying the type's CPU tasks.
 */
@ExtendWith(WeftStackExtension.class)
class ResourcesIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  /** When each task ran, by task id: [start, end]. */
  private final Map<String, Instant[]> spans = new ConcurrentHashMap<>();

  @Test
  void shouldRunTasksThatDoNotFitTogetherOneAfterTheOtherAndASmallOneBesideTheFirst(WeftStack stack)
      throws Exception {
    // given: a worker of 3 cores
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "resources-cpu").startCoordinator()) {
      weft.startWorker(
          Map.of("worker.concurrency", "4", "worker.capacity.cpu", "3"), sleeping("work"));
      WeftClient client = weft.client();
      client.register(
          WorkflowDefinition.builder("three", 1)
              .task(work("big-1", 2.0, 1500))
              .task(work("big-2", 2.0, 1500))
              .task(work("small", 0.5, 500))
              .build());

      // when
      try (CommittedRecords<RunEvent> events = events(weft)) {
        RunView run = client.awaitCompletion(client.startRun("three", Map.of()), WAIT);

        // then: the big ones never overlap; the small one ran beside the first of them
        assertThat(run.status()).isEqualTo(RunView.Status.SUCCEEDED);
        Instant[] first = firstOf(spans.get("big-1"), spans.get("big-2"));
        Instant[] second = first == spans.get("big-1") ? spans.get("big-2") : spans.get("big-1");
        assertThat(second[0]).isAfterOrEqualTo(first[1]);
        Instant[] small = spans.get("small");
        assertThat(small[0]).isBefore(first[1]);
        assertThat(first[0]).isBefore(small[1]);

        // and: each attempt's usage is in its TaskSucceeded event and the run's view
        List<TaskSucceeded> succeeded =
            succeeded(events.awaitUntil(read -> succeeded(read).size() == 3));
        assertThat(succeeded)
            .allSatisfy(
                s -> {
                  assertThat(s.getUsage()).isNotNull();
                  assertThat(s.getUsage().getWallMs()).isGreaterThanOrEqualTo(500);
                  assertThat(s.getUsage().getCpuMs()).isNotNull();
                });
        TaskView.Usage bigUsage = run.tasks().get("big-1").usage();
        assertThat(bigUsage.wallMs()).isGreaterThanOrEqualTo(1500);
      }
    }
  }

  @Test
  void shouldFailATaskBiggerThanItsWorkerAtOnceAsUnschedulable(WeftStack stack) throws Exception {
    // given: a worker of 16 GiB, and a task declaring 64 GiB that may wait an hour
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "resources-big").startCoordinator()) {
      weft.startWorker(Map.of("worker.capacity.memory", "16Gi"), sleeping("work"));
      WeftClient client = weft.client();
      client.register(
          WorkflowDefinition.builder("huge", 1)
              .task(
                  TaskDefinition.builder("huge", "work")
                      .param("millis", 10)
                      .timeout(Duration.ofHours(1))
                      .resources(new Resources(1.0, 64L << 30, null)))
              .build());

      // when
      RunView run = client.awaitCompletion(client.startRun("huge", Map.of()), WAIT);

      // then: it failed on its first attempt, without running, naming its need and the capacity
      assertThat(run.status()).isEqualTo(RunView.Status.FAILED);
      assertThat(run.tasks().get("huge").attempt()).isEqualTo(1);
      assertThat(run.tasks().get("huge").error())
          .contains("memory 64Gi (capacity 16Gi)")
          .contains("could never start");
      assertThat(spans).isEmpty();
      try (CommittedRecords<RunEvent> events = events(weft)) {
        List<TaskFailed> failed =
            events.readToEnd().stream()
                .map(ConsumerRecord::value)
                .filter(e -> e.getEvent() instanceof TaskFailed)
                .map(e -> (TaskFailed) e.getEvent())
                .toList();
        assertThat(failed)
            .singleElement()
            .satisfies(
                f -> {
                  assertThat(f.getError().getErrorClass()).isEqualTo("weft.Unschedulable");
                  assertThat(f.getError().getRetryable()).isFalse();
                });
      }
    }
  }

  @Test
  void shouldRunAGpuTaskOnlyOnAWorkerWithAGpuWithoutDelayingTheTypesCpuTasks(WeftStack stack)
      throws Exception {
    // given: a CPU worker and a worker with one GPU, whose GPU tasks run until released
    CountDownLatch release = new CountDownLatch(1);
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "resources-gpu").startCoordinator()) {
      weft.startWorker(
          Map.of("worker.id", "cpu-worker", "worker.concurrency", "2"), gated("work", release));
      weft.startWorker(
          Map.of("worker.id", "gpu-worker", "worker.concurrency", "2", "worker.capacity.gpu", "1"),
          gated("work", release));
      WeftClient client = weft.client();
      client.register(
          WorkflowDefinition.builder("on-gpu", 1)
              .task(
                  TaskDefinition.builder("fit", "work")
                      .param("gated", true)
                      .resources(new Resources(null, null, 1)))
              .build());
      client.register(
          WorkflowDefinition.builder("on-cpu", 1)
              .task(TaskDefinition.builder("fit", "work").param("gated", false))
              .build());

      // when: one GPU task holds the only GPU, a second waits for it, then a CPU task comes
      String firstGpu = client.startRun("on-gpu", Map.of());
      String secondGpu = client.startRun("on-gpu", Map.of());
      RunView cpu = client.awaitCompletion(client.startRun("on-cpu", Map.of()), WAIT);

      // then: the CPU task ran while both GPU runs still wait
      assertThat(cpu.status()).isEqualTo(RunView.Status.SUCCEEDED);
      assertThat(client.status(firstGpu).orElseThrow().isFinished()).isFalse();
      assertThat(client.status(secondGpu).orElseThrow().isFinished()).isFalse();

      // and: both GPU tasks ran on the GPU worker, on its one GPU, one after the other
      release.countDown();
      for (String run : List.of(firstGpu, secondGpu)) {
        RunView done = client.awaitCompletion(run, WAIT);
        assertThat(done.status()).isEqualTo(RunView.Status.SUCCEEDED);
        assertThat(done.tasks().get("fit").workerId()).isEqualTo("gpu-worker");
        assertThat(done.tasks().get("fit").outputs().get("gpus").toString()).isEqualTo("[0]");
      }
      List<TaskRequest> gpuPool =
          CommittedRecords.readAll(
              weft.bootstrapServers(),
              weft.topics().tasks("work.gpu"),
              new AvroDeserializer<>(
                  TaskRequest.class, Map.of("schema.registry.url", weft.schemaRegistryUrl())),
              WAIT);
      assertThat(gpuPool)
          .extracting(TaskRequest::getRunId)
          .containsExactlyInAnyOrder(firstGpu, secondGpu);
    }
  }

  private static TaskDefinition.Builder work(String id, double cores, int millis) {
    return TaskDefinition.builder(id, "work")
        .param("millis", millis)
        .resources(new Resources(cores, null, null));
  }

  /** A handler that sleeps {@code millis} and records when it ran. */
  private TaskHandler sleeping(String type) {
    return handler(
        type,
        ctx -> {
          Instant start = Instant.now();
          TimeUnit.MILLISECONDS.sleep(ctx.param("millis").asLong());
          spans.put(ctx.taskId(), new Instant[] {start, Instant.now()});
          return TaskOutputs.empty();
        });
  }

  /** A handler that, for requests with param gated, waits for {@code release}. */
  private static TaskHandler gated(String type, CountDownLatch release) {
    return handler(
        type,
        ctx -> {
          if (ctx.param("gated").asBoolean() && !release.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("never released");
          }
          return TaskOutputs.empty().with("gpus", ctx.gpus());
        });
  }

  private static Instant[] firstOf(Instant[] a, Instant[] b) {
    return a[0].isBefore(b[0]) ? a : b;
  }

  private static List<TaskSucceeded> succeeded(List<ConsumerRecord<String, RunEvent>> read) {
    return read.stream()
        .map(ConsumerRecord::value)
        .filter(e -> e.getEvent() instanceof TaskSucceeded)
        .map(e -> (TaskSucceeded) e.getEvent())
        .toList();
  }

  private static CommittedRecords<RunEvent> events(WeftInstallation weft) {
    return new CommittedRecords<>(
        weft.bootstrapServers(),
        weft.topics().events(),
        new AvroDeserializer<>(
            RunEvent.class, Map.of("schema.registry.url", weft.schemaRegistryUrl())),
        WAIT);
  }
}
