package io.weft.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkflowYamlTest {

  static final String MNIST =
      """
      name: mnist-train
      version: 1
      params:
        epochs: 5
        grid: [0.01, 0.001]
      tasks:
        - id: prepare
          type: prepare-data
          params: {source: data/mnist, seed: 7}
        - id: train
          type: train
          dependsOn: [prepare]
          params:
            data: ${tasks.prepare.outputs.train}
            epochs: ${params.epochs}
          retry: {maxAttempts: 3, backoff: {initial: 1s, multiplier: 2.0, max: 30s}}
          timeout: 30m
          onFailure: fail-run
        - id: sweep
          type: train
          dependsOn: [prepare]
          forEach: ${params.grid}
          params: {lr: "${item}"}
        - id: pick
          type: select-best
          dependsOn: [sweep]
        - id: promote
          type: promote-model
          dependsOn: [pick]
          when: ${tasks.pick.outputs.accuracy} >= 0.9
      """;

  @Test
  void shouldReadEveryKeyOfTheFormat() {
    // when
    WorkflowDefinition def = WorkflowYaml.parse(MNIST, "mnist.yaml");

    // then
    assertThat(def.name()).isEqualTo("mnist-train");
    assertThat(def.version()).isEqualTo(1);
    assertThat(def.params().get("grid").toString()).isEqualTo("[0.01,0.001]");
    assertThat(def.tasks())
        .extracting(TaskDefinition::id)
        .containsExactly("prepare", "train", "sweep", "pick", "promote");
    TaskDefinition train = def.task("train").orElseThrow();
    assertThat(train.dependsOn()).containsExactly("prepare");
    assertThat(train.params().get("epochs").asText()).isEqualTo("${params.epochs}");
    assertThat(train.retry())
        .isEqualTo(new Retry(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30)));
    assertThat(train.timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(train.onFailure()).isEqualTo(OnFailure.FAIL_RUN);
    assertThat(def.task("sweep").orElseThrow().forEach()).isEqualTo("${params.grid}");
    assertThat(def.task("promote").orElseThrow().when())
        .isEqualTo("${tasks.pick.outputs.accuracy} >= 0.9");
    assertThat(WorkflowValidator.withoutTypeCheck().problems(def)).isEmpty();
  }

  @Test
  void shouldReportEveryStructuralProblemAtOnce() {
    // given
    String yaml =
        """
        name: broken
        version: one
        tasks:
          - id: a
            type: x
            dependOn: [b]
            timeout: 10 minutes
            onFailure: ignore
          - type: y
          - id: c
            type: z
            retry: {maxAttempts: 2, backoff: {initial: soon}}
        """;

    // when / then
    assertThatThrownBy(() -> WorkflowYaml.parse(yaml, "broken.yaml"))
        .isInstanceOf(InvalidDefinitionException.class)
        .satisfies(
            e ->
                assertThat(((InvalidDefinitionException) e).problems())
                    .extracting(DefinitionProblem::toString)
                    .containsExactly(
                        "workflow version: expected a whole number, got \"one\"",
                        "task 'a': unknown key 'dependOn'; did you mean 'dependsOn'?",
                        "task 'a' timeout: bad duration \"10 minutes\": expected a whole number with ms, s, m or h, e.g. 30s",
                        "task 'a' onFailure: expected fail-run or continue, got \"ignore\"",
                        "tasks[1]: missing 'id'",
                        "task 'c' retry.backoff.initial: bad duration \"soon\": expected a whole number with ms, s, m or h, e.g. 30s"))
        .hasMessageContaining("broken.yaml");
  }

  @Test
  void shouldReadAResourcesBlockWithUnits() {
    // given
    String yaml =
        """
        name: sized
        version: 1
        tasks:
          - id: train
            type: train
            resources: {cpu: 1.5, memory: 8Gi, gpu: 1}
          - id: small
            type: x
            resources: {memory: 500M}
          - id: plain
            type: x
        """;

    // when
    WorkflowDefinition def = WorkflowYaml.parse(yaml, "sized.yaml");

    // then
    assertThat(def.task("train").orElseThrow().resources())
        .isEqualTo(new Resources(1.5, 8L << 30, 1));
    assertThat(def.task("small").orElseThrow().resources())
        .isEqualTo(new Resources(null, 500_000_000L, null));
    assertThat(def.task("plain").orElseThrow().resources()).isEqualTo(Resources.NONE);
    assertThat(WorkflowValidator.withoutTypeCheck().problems(def)).isEmpty();
  }

  @Test
  void shouldReportEveryProblemOfAResourcesBlockAtOnce() {
    // given
    String yaml =
        """
        name: sized
        version: 1
        tasks:
          - id: a
            type: x
            resources: {cpu: two, memory: 8GG, gpu: 0.5, disk: 1Ti}
        """;

    // when / then
    assertThatThrownBy(() -> WorkflowYaml.parse(yaml, "sized.yaml"))
        .isInstanceOf(InvalidDefinitionException.class)
        .satisfies(
            e ->
                assertThat(((InvalidDefinitionException) e).problems())
                    .extracting(DefinitionProblem::toString)
                    .containsExactly(
                        "task 'a' resources: unknown key 'disk'",
                        "task 'a' resources.cpu: expected a number of cores, e.g. 2 or 0.5, got \"two\"",
                        "task 'a' resources.memory: '8GG' is not a size (bytes, or with a unit: 512Mi, 8Gi, 2GB)",
                        "task 'a' resources.gpu: expected a whole number of GPUs, got 0.5"));
  }

  @Test
  void shouldRefuseResourcesOutOfRangeOnValidation() {
    // given
    WorkflowDefinition def =
        WorkflowDefinition.builder("sized", 1)
            .task(TaskDefinition.builder("b", "x").resources(new Resources(0.0, 0L, -1)))
            .task(TaskDefinition.builder("c", "x").resources(new Resources(2000.0, 1L << 50, 65)))
            .build();

    // when / then
    assertThat(WorkflowValidator.withoutTypeCheck().problems(def))
        .extracting(DefinitionProblem::toString)
        .containsExactly(
            "task 'b': resources.cpu 0.0 must be above 0 and at most 1024",
            "task 'b': resources.memory 0 bytes must be above 0 and at most 64Ti",
            "task 'b': resources.gpu -1 must be from 0 to 64",
            "task 'c': resources.cpu 2000.0 must be above 0 and at most 1024",
            "task 'c': resources.memory 1125899906842624 bytes must be above 0 and at most 64Ti",
            "task 'c': resources.gpu 65 must be from 0 to 64");
  }

  @Test
  void shouldParseSizesInDecimalAndBinaryUnits() {
    assertThat(Resources.parseSize("1024")).isEqualTo(1024);
    assertThat(Resources.parseSize("512Mi")).isEqualTo(512L << 20);
    assertThat(Resources.parseSize("2GB")).isEqualTo(2_000_000_000L);
    assertThat(Resources.parseSize("1.5Gi")).isEqualTo(3L << 29);
    assertThat(Resources.parseSize("64 GiB")).isEqualTo(64L << 30);
    assertThat(Resources.parseSize("4k")).isEqualTo(4000);
    assertThatThrownBy(() -> Resources.parseSize("lots")).hasMessageContaining("not a size");
    assertThat(new Resources(2.0, 8L << 30, 1)).hasToString("cpu 2, memory 8Gi, gpu 1");
  }

  @Test
  void shouldNameTheLineOfInvalidYaml() {
    assertThatThrownBy(() -> WorkflowYaml.parse("name: x\ntasks: [\n  - id: a", "bad.yaml"))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("not valid YAML at line");
  }
}
