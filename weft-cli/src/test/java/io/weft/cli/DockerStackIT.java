package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

/**
 * The docker/ stack where a Docker engine runs: the images, environments, commands and config files
 * of docker/compose.yaml, started as containers on one network, run a workflow to success. Skipped
 * without Docker. Weft's image is built from docker/Dockerfile and the packaged command, so this
 * runs after {@code package} (Failsafe's phase).
 */
@Testcontainers(disabledWithoutDocker = true)
class DockerStackIT {

  private static final ComposeFile COMPOSE = ComposeFile.read();
  private static final String BOOTSTRAP = "--bootstrap-servers=kafka:19092";
  private static final String REGISTRY =
      "--schema-registry-url=http://registry:8080/apis/ccompat/v7";

  private static final Network NETWORK = Network.newNetwork();
  private static final List<GenericContainer<?>> STARTED = new ArrayList<>();
  private static ImageFromDockerfile weftImage;

  @BeforeAll
  static void startStack() {
    weftImage =
        new ImageFromDockerfile("weft-docker-it", true)
            .withFileFromPath("docker/Dockerfile", ComposeFile.DOCKER.resolve("Dockerfile"))
            .withFileFromPath("weft-cli/target/weft-cli.jar", Path.of("target/weft-cli.jar"))
            .withFileFromPath("weft-cli/target/lib", Path.of("target/lib"))
            .withDockerfilePath("docker/Dockerfile");
    start(
        new GenericContainer<>(COMPOSE.image("kafka"))
            .withEnv(COMPOSE.environment("kafka"))
            .waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1)),
        "kafka");
    start(
        new GenericContainer<>(COMPOSE.image("registry"))
            .withEnv(COMPOSE.environment("registry"))
            .withExposedPorts(8080)
            .waitingFor(
                Wait.forHttp("/apis/ccompat/v7/subjects")
                    .forPort(8080)
                    .withStartupTimeout(Duration.ofMinutes(3))),
        "registry");
    start(
        weft(COMPOSE.command("coordinator"))
            .withCopyFileToContainer(
                config("coordinator.properties"), "/etc/weft/coordinator.properties")
            .withExposedPorts(8090)
            .waitingFor(
                Wait.forHttp("/health").forPort(8090).withStartupTimeout(Duration.ofMinutes(3))),
        "coordinator");
    int replicas = COMPOSE.service("worker").at("/deploy/replicas").asInt();
    for (int i = 0; i < replicas; i++) {
      start(
          weft(COMPOSE.command("worker"))
              .withCopyFileToContainer(config("worker.properties"), "/etc/weft/worker.properties")
              .withCopyFileToContainer(data("digits.csv"), "/data/digits.csv")
              .waitingFor(Wait.forLogMessage("(?s).*serving prepare-data.*", 1)),
          "worker");
    }
  }

  @AfterAll
  static void stopStack() {
    for (int i = STARTED.size() - 1; i >= 0; i--) {
      STARTED.get(i).stop();
    }
    NETWORK.close();
  }

  @Test
  void shouldRunAWorkflowToSuccessThroughTheContainers() {
    // given: the weft command in a container of its own, as a user on the compose network
    GenericContainer<?> client =
        weft(List.of(
                "run",
                "/data/workflow.yaml",
                "--wait",
                "--timeout=5m",
                BOOTSTRAP,
                REGISTRY,
                "--query-url=http://coordinator:8090"))
            .withCopyFileToContainer(data("workflow.yaml"), "/data/workflow.yaml")
            .withStartupCheckStrategy(
                new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(6)));

    // when: it runs to its end (a non-zero exit code fails the start)
    client.start();

    // then
    try {
      assertThat(client.getLogs()).contains("SUCCEEDED");
    } finally {
      client.stop();
    }
  }

  private static GenericContainer<?> weft(List<String> command) {
    return new GenericContainer<>(weftImage).withCommand(command.toArray(String[]::new));
  }

  private static void start(GenericContainer<?> container, String alias) {
    container.withNetwork(NETWORK).withNetworkAliases(alias).start();
    STARTED.add(container);
  }

  private static MountableFile config(String name) {
    return MountableFile.forHostPath(ComposeFile.DOCKER.resolve(name));
  }

  private static MountableFile data(String name) {
    return MountableFile.forClasspathResource("docker/" + name);
  }
}
