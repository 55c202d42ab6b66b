package io.weft.workers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.results.TaskProgress;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.internals.CancelReason;
import io.weft.workers.internals.Json;
import io.weft.workers.internals.TaskContextImpl;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecHandlerTest {

  static {
    GeneratedClasses.trust();
  }

  @TempDir Path dir;
  private final List<TaskProgress> progress = new CopyOnWriteArrayList<>();

  @Test
  void shouldPassTheInputAndReadOutputsProgressAndArtifacts() throws Exception {
    // given a program that reads its input on stdin, reports progress and leaves a file
    Path script =
        script(
            "import json, os, sys",
            "inp = json.load(sys.stdin)",
            "print(json.dumps({'progress': {'step': 1, 'total': 2, 'metrics': {'loss': 0.5}}}))",
            "print('plain log line', file=sys.stderr)",
            "open(os.path.join(os.environ['WEFT_ARTIFACTS_DIR'], 'model.bin'), 'w').write('m')",
            "data = open(inp['files']['data']).read()",
            "print(json.dumps({'outputs': {'n': inp['params']['n'] * 2, 'data': data,",
            "  'run': os.environ['WEFT_RUN_ID'], 'key': inp['idempotencyKey']},",
            "  'metrics': {'score': 0.75}}))");
    ArtifactRef data = store().put("run-1", "prep", 1, "data.txt", bytes("hello"), "text/plain");
    TaskContextImpl context =
        context(Map.of("n", Json.parse("21"), "data", Json.toTree(refJson(data))));

    // when
    TaskOutputs outputs = handler(script).execute(context);

    // then
    assertThat(outputs.outputs().get("n").json().asInt()).isEqualTo(42);
    assertThat(outputs.outputs().get("data").json().asText()).isEqualTo("hello");
    assertThat(outputs.outputs().get("run").json().asText()).isEqualTo("run-1");
    assertThat(outputs.outputs().get("key").json().asText()).isEqualTo("run-1/train/1");
    assertThat(outputs.metrics()).containsEntry("score", 0.75);
    assertThat(text(outputs.outputs().get("model").artifact())).isEqualTo("m");
    assertThat(text(outputs.outputs().get("log").artifact()))
        .contains("[stderr] plain log line")
        .contains("\"progress\"");
    assertThat(progress)
        .anySatisfy(
            p -> {
              assertThat(p.getStep()).isEqualTo(1);
              assertThat(p.getTotalSteps()).isEqualTo(2);
              assertThat(p.getMetrics()).containsEntry("loss", 0.5);
            });
  }

  @Test
  void shouldTellTheProgramWhichGpusItWasGranted() throws Exception {
    // given: an attempt granted GPU 1
    Path script =
        script(
            "import json, os, sys",
            "inp = json.load(sys.stdin)",
            "print(json.dumps({'outputs': {'gpus': inp['gpus'],",
            "  'visible': os.environ['CUDA_VISIBLE_DEVICES']}}))");
    TaskContextImpl context = context(Map.of());
    context.granted(new io.weft.core.api.Resources(null, null, 1), List.of(1));

    // when
    TaskOutputs outputs = handler(script).execute(context);

    // then
    assertThat(outputs.outputs().get("gpus").json().toString()).isEqualTo("[1]");
    assertThat(outputs.outputs().get("visible").json().asText()).isEqualTo("1");
  }

  @Test
  void shouldMeasureTheCpuAndPeakMemoryOfTheProgram() throws Exception {
    // given: a program that holds 64 MiB and spins for a while
    Path script =
        script(
            "import time",
            "block = bytearray(64 * 1024 * 1024)",
            "end = time.process_time() + 0.3",
            "while time.process_time() < end: pass",
            "print(len(block))");
    TaskContextImpl context = context(Map.of());

    // when
    handler(script).execute(context);

    // then
    assertThat(context.programPeakBytes()).isGreaterThanOrEqualTo(64L << 20);
    assertThat(context.programCpuNanos()).isGreaterThanOrEqualTo(200_000_000L);
  }

  @Test
  void shouldReturnAndStopWhatTheProgramLeftRunningInTheBackground() throws Exception {
    // given: a program that starts a child holding its stdout open, and exits at once
    Path pidFile = dir.resolve("left.pid");
    Path script =
        script(
            "import json, os, subprocess, sys",
            "child = subprocess.Popen(['sleep', '300'])",
            "open(sys.argv[1] + '.tmp', 'w').write(str(child.pid))",
            "os.rename(sys.argv[1] + '.tmp', sys.argv[1])",
            "print(json.dumps({'outputs': {'done': True}}), flush=True)");
    ExecHandler handler =
        new ExecHandler(
            new ExecCommand(
                "py",
                List.of("python3", script.toString(), pidFile.toString()),
                dir,
                null,
                Duration.ofMillis(300),
                null,
                null));

    // when
    TaskOutputs outputs = executeAsync(handler, context(Map.of())).get(30, TimeUnit.SECONDS);

    // then: the attempt ended with its outputs, and the child was stopped
    assertThat(outputs.outputs().get("done").json().asBoolean()).isTrue();
    long child = Long.parseLong(Files.readString(pidFile).strip());
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
  }

  @Test
  void shouldReadOutputsFromALongLastStdoutLineAndRefuseOneOverTheLimit() throws Exception {
    // given: a 100 KB output line, then one over a MiB
    Path longLine =
        script("import json", "print(json.dumps({'outputs': {'xs': list(range(20000))}}))");
    Path tooLong =
        script("import json", "print(json.dumps({'outputs': {'xs': list(range(300000))}}))");

    // when
    TaskOutputs outputs = handler(longLine).execute(context(Map.of()));

    // then
    assertThat(outputs.outputs().get("xs").json()).hasSize(20000);
    assertThatThrownBy(() -> handler(tooLong).execute(context(Map.of())))
        .hasMessageContaining("last stdout line is over")
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isFalse());
  }

  @Test
  void shouldRefuseAnArtifactThatWouldReplaceTheLog() throws Exception {
    // given
    Path script =
        script(
            "import os",
            "open(os.path.join(os.environ['WEFT_ARTIFACTS_DIR'], 'log.csv'), 'w').write('x')");

    // when / then
    assertThatThrownBy(() -> handler(script).execute(context(Map.of())))
        .hasMessageContaining("output name 'log' is reserved");
  }

  @Test
  void shouldPreferTheOutputFileToTheLastStdoutLine() throws Exception {
    // given
    Path script =
        script(
            "import json, os",
            "json.dump({'outputs': {'from': 'file'}}, open(os.environ['WEFT_OUTPUT'], 'w'))",
            "print(json.dumps({'outputs': {'from': 'stdout'}}))");

    // when
    TaskOutputs outputs = handler(script).execute(context(Map.of()));

    // then
    assertThat(outputs.outputs().get("from").json().asText()).isEqualTo("file");
  }

  @Test
  void shouldFailRetryablyOnAnExitCodeWithTheEndOfStderr() throws Exception {
    // given
    Path script = script("import sys", "print('disk full', file=sys.stderr)", "sys.exit(3)");

    // when / then
    assertThatThrownBy(() -> handler(script).execute(context(Map.of())))
        .isInstanceOf(ExecHandler.ExecFailedException.class)
        .hasMessageContaining("exited with 3")
        .hasMessageContaining("disk full")
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isTrue());
  }

  @Test
  void shouldFailAtOnceOnANonRetryableExitCode() throws Exception {
    // given: 65 is sysexits' EX_DATAERR
    Path script = script("import sys", "sys.exit(65)");

    // when / then
    assertThatThrownBy(() -> handler(script).execute(context(Map.of())))
        .hasMessageContaining("exited with 65")
        .hasMessageContaining("not retried")
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isFalse());
  }

  @Test
  void shouldRefuseAnOutputWithAnUnknownMember() throws Exception {
    // given
    Path script = script("print('{\"output\": {\"x\": 1}}')");

    // when / then
    assertThatThrownBy(() -> handler(script).execute(context(Map.of())))
        .hasMessageContaining("member 'output'")
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isFalse());
  }

  @Test
  void shouldNameAProgramThatCannotStart() {
    // given
    ExecHandler handler =
        new ExecHandler(
            ExecCommand.of("ghost", List.of(dir.resolve("no-such-program").toString())));

    // when / then
    assertThatThrownBy(() -> handler.execute(context(Map.of())))
        .hasMessageContaining("Cannot start")
        .hasMessageContaining("no-such-program")
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isFalse());
  }

  @Test
  void shouldTerminateThenKillACancelledProgramAndItsChildren() throws Exception {
    // given a program that ignores SIGTERM and whose child would outlive it
    Path pidFile = dir.resolve("child.pid");
    Path script =
        script(
            "import os, signal, subprocess, sys, time",
            "signal.signal(signal.SIGTERM, signal.SIG_IGN)",
            "child = subprocess.Popen(['sleep', '300'])",
            "open(sys.argv[1] + '.tmp', 'w').write(str(child.pid))",
            "os.rename(sys.argv[1] + '.tmp', sys.argv[1])",
            "print('started', flush=True)",
            "time.sleep(300)");
    ExecHandler handler =
        new ExecHandler(
            new ExecCommand(
                "py",
                List.of("python3", script.toString(), pidFile.toString()),
                dir,
                null,
                Duration.ofMillis(300),
                null,
                null));
    TaskContextImpl context = context(Map.of());
    CompletableFuture<TaskOutputs> attempt = executeAsync(handler, context);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(pidFile));
    long child = Long.parseLong(Files.readString(pidFile).strip());

    // when
    context.cancel(CancelReason.RUN_STOPPED);

    // then
    assertThatThrownBy(() -> attempt.get(20, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(TaskFailedException.class)
        .rootCause()
        .hasMessageContaining("cancelled");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
  }

  private static CompletableFuture<TaskOutputs> executeAsync(
      ExecHandler handler, TaskContextImpl context) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return handler.execute(context);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private ExecHandler handler(Path script) {
    return new ExecHandler(
        new ExecCommand("py", List.of("python3", script.toString()), dir, null, null, null, null));
  }

  private Path script(String... lines) throws Exception {
    Path file = Files.createTempFile(dir, "task", ".py");
    Files.write(file, List.of(lines));
    return file;
  }

  private LocalArtifactStore store() {
    return new LocalArtifactStore(dir.resolve("artifacts"));
  }

  private TaskContextImpl context(Map<String, JsonNode> params) {
    TaskRequest request =
        TaskRequest.newBuilder()
            .setRunId("run-1")
            .setTaskId("train")
            .setAttempt(1)
            .setType("py")
            .setDeadline(Instant.now().plusSeconds(120))
            .setIdempotencyKey("run-1/train/1")
            .setScheduledAt(Instant.now())
            .build();
    return new TaskContextImpl(request, params, Map.of(), store(), "w-1", progress::add);
  }

  private String text(ArtifactRef ref) throws Exception {
    try (InputStream in = store().open(ref)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Map<String, Object> refJson(ArtifactRef ref) {
    return Map.of(
        "uri", ref.getUri(),
        "sha256", ref.getSha256(),
        "size", ref.getSize(),
        "mediaType", ref.getMediaType());
  }

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
