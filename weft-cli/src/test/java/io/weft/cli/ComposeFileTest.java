package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.CoordinatorConfig;
import io.weft.embedded.RegistryDistribution;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.WorkerConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What can be checked of docker/ without a Docker engine: pinned images of the versions Weft is
 * tested with, commands the weft command accepts, config files the components accept, the shared
 * artifacts volume. {@code DockerStackIT} runs the stack where Docker runs.
 */
class ComposeFileTest {

  private final ComposeFile compose = ComposeFile.read();

  @Test
  void shouldDeclareTheWholeStack() {
    // then
    assertThat(compose.services())
        .containsExactly(
            "kafka", "registry", "coordinator", "worker", "inference", "prometheus", "grafana");
    assertThat(compose.service("worker").at("/deploy/replicas").asInt()).isEqualTo(2);
  }

  @Test
  void shouldPinTheBrokerAndRegistryVersionsWeftIsTestedWith() throws IOException {
    // then
    assertThat(compose.image("kafka")).isEqualTo("apache/kafka:" + kafkaVersion());
    assertThat(compose.image("registry"))
        .isEqualTo("apicurio/apicurio-registry-kafkasql:" + RegistryDistribution.version());
  }

  @Test
  void shouldRunTheCoordinatorAndWorkersWithCommandsWeftAccepts() {
    // when: each command parsed by the weft command itself (an unknown option throws)
    for (String service : List.of("coordinator", "worker")) {
      List<String> command = compose.command(service);
      assertThat(command).first().isEqualTo(service);
      CommandLine.ParseResult parsed = Weft.commandLine().parseArgs(command.toArray(String[]::new));
      assertThat(parsed.subcommand().commandSpec().name()).isEqualTo(service);
    }
    assertThat(compose.command("inference")).first().isEqualTo("serve");
  }

  @Test
  void shouldServeEveryBuiltInTaskTypeWithTheExamplesInTheImage() throws IOException {
    // given: the task types Weft ships (ServiceLoader finds the tests' own too)
    List<String> builtIn =
        WorkerCommand.handlers().values().stream()
            .filter(h -> h.getClass().getName().startsWith("io.weft.ml.tasks."))
            .map(TaskHandler::taskType)
            .sorted()
            .toList();
    assertThat(builtIn).contains("train", "batch-infer");

    // then: the workers serve every one of them
    String types =
        compose.command("worker").stream()
            .filter(a -> a.startsWith("--types="))
            .findFirst()
            .orElseThrow();
    assertThat(List.of(types.substring("--types=".length()).split(",")))
        .containsExactlyInAnyOrderElementsOf(builtIn);

    // and the image holds the examples where their relative data paths resolve (its workdir)
    String dockerfile = Files.readString(ComposeFile.DOCKER.resolve("Dockerfile"));
    assertThat(dockerfile).contains("WORKDIR /weft").contains("COPY examples/ /weft/examples/");
    assertThat(Files.readAllLines(ComposeFile.DOCKER.resolve("Dockerfile.dockerignore")))
        .contains("!examples");
    assertThat(Files.readString(ComposeFile.DOCKER.resolve("../examples/mnist.yaml")))
        .contains("images: examples/data/mnist/digits-images-idx3-ubyte.gz");

    // and the inference service listens on the container's address, not its loopback
    assertThat(compose.command("inference")).contains("--host=0.0.0.0");
    // over gRPC too, on Triton's port, published
    assertThat(compose.command("inference")).contains("--grpc-port=8001");
    assertThat(compose.ports("inference")).contains("8001:8001");
  }

  @Test
  void shouldMountConfigFilesTheComponentsAccept() throws IOException {
    // given
    Map<String, String> connection =
        Map.of("bootstrap.servers", "kafka:19092", "schema.registry.url", "http://registry:8080");

    // then: each file is mounted where its command reads it, and its component accepts its keys
    assertThat(compose.mountedFiles("coordinator"))
        .containsEntry("coordinator.properties", "/etc/weft/coordinator.properties");
    assertThat(compose.command("coordinator"))
        .contains("--config=/etc/weft/coordinator.properties");
    new CoordinatorConfig(settings("coordinator.properties", connection));
    assertThat(compose.mountedFiles("worker"))
        .containsEntry("worker.properties", "/etc/weft/worker.properties");
    assertThat(compose.command("worker")).contains("--config=/etc/weft/worker.properties");
    WorkerConfig worker = new WorkerConfig(settings("worker.properties", connection));
    assertThat(worker.artifactDir()).hasToString("/weft/weft-data/artifacts");
  }

  @Test
  void shouldShareTheArtifactsVolumeBetweenWorkersAndTheInferenceService() {
    // then
    assertThat(compose.volumes("worker")).contains("artifacts:/weft/weft-data/artifacts");
    assertThat(compose.volumes("inference")).contains("artifacts:/weft/weft-data/artifacts");
  }

  /** The version of the Kafka clients on the classpath, which the embedded broker shares. */
  private static String kafkaVersion() throws IOException {
    Properties props = new Properties();
    try (var in = ComposeFileTest.class.getResourceAsStream("/kafka/kafka-version.properties")) {
      props.load(in);
    }
    return props.getProperty("version");
  }

  private static Map<String, Object> settings(String file, Map<String, String> connection)
      throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(ComposeFile.DOCKER.resolve(file))) {
      props.load(in);
    }
    Map<String, Object> settings = new HashMap<>(connection);
    props.stringPropertyNames().forEach(k -> settings.put(k, props.getProperty(k)));
    return settings;
  }
}
