package io.weft.it;

import static io.weft.it.ServingKit.logits;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.it.ServingKit.TrainedModel;
import io.weft.serving.InferenceServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Python clients, run as a user runs them against a real inference service with a real
 * DJL model: {@code examples/python/infer_binary.py} (HTTP, binary tensors, standard library only)
 * and {@code examples/python/infer_grpc.py} (gRPC, with stubs generated from the service's proto by
 * grpc_tools) answer with the same label and logits as the JSON endpoint.
 */
@ExtendWith(WeftStackExtension.class)
class ClientExamplesIT {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Duration START = Duration.ofSeconds(60);

  @TempDir Path stubs;
  private ServingKit kit;

  @BeforeEach
  void kit(WeftStack stack) {
    kit = new ServingKit(stack);
  }

  @AfterEach
  void close() throws Exception {
    kit.close();
  }

  @Test
  void shouldAnswerThePythonExamplesAsTheJsonEndpointDoes() throws Exception {
    // given: a model in production and a server speaking HTTP and gRPC
    float[] zeros = new float[784];
    TrainedModel model = kit.register("mnist", zeros);
    kit.registry().promote("mnist", model.version(), null, true);
    InferenceServer server = kit.server(Map.of("serve.grpc.port", 0));
    await().atMost(START).until(server::isReady);
    float[] expected = logits(kit.infer(server.uri(), "mnist", zeros));
    python(
        REPO,
        "-m",
        "grpc_tools.protoc",
        "-I",
        "inference-service/src/main/proto",
        "--python_out=" + stubs,
        "--grpc_python_out=" + stubs,
        "grpc_predict_v2.proto");

    // when
    List<String> binary =
        python(REPO, "examples/python/infer_binary.py", server.uri().toString(), "mnist", "784");
    List<String> grpc =
        python(
            REPO,
            "examples/python/infer_grpc.py",
            "127.0.0.1:" + server.grpcPort(),
            "mnist",
            "784");

    // then
    for (List<String> answer : List.of(binary, grpc)) {
      assertThat(answer.get(0)).isEqualTo("version " + model.version());
      assertThat(answer.get(1)).isEqualTo("label " + ServingKit.argmax(expected));
      String[] values = answer.get(2).substring("logits ".length()).split(" ");
      float[] logits = new float[values.length];
      for (int i = 0; i < values.length; i++) {
        logits[i] = (float) Double.parseDouble(values[i]);
      }
      assertThat(logits).containsExactly(expected);
    }
  }

  /**
   * The first Python 3 on the path, or Debian's, that has gRPC and its tools ({@code
   * test-kit/prerequisites} installs Debian's packages where missing).
   */
  private static String pythonWithGrpc() throws Exception {
    for (String python : List.of("python3", "/usr/bin/python3")) {
      try {
        Process probe =
            new ProcessBuilder(python, "-c", "import grpc, grpc_tools.protoc")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0) {
          return python;
        }
      } catch (java.io.IOException e) {
        // not there: try the next
      }
    }
    throw new IllegalStateException(
        "No python3 with the grpc and grpc_tools modules; install Debian's python3-grpcio and"
            + " python3-grpc-tools (test-kit/prerequisites does)");
  }

  /** Runs Python with {@code args} in {@code dir}, the stubs on its path; its output lines. */
  private List<String> python(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(pythonWithGrpc()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("PYTHONPATH", stubs.toString());
    builder.redirectErrorStream(true);
    Path output = Files.createTempFile(stubs, "python", ".out");
    builder.redirectOutput(output.toFile());
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("python3 " + args[0]).isTrue();
    String text = Files.readString(output, UTF_8);
    assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + text).isZero();
    return text.lines().toList();
  }
}
