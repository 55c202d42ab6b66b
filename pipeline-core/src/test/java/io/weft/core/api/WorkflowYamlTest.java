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
  void shouldNameTheLineOfInvalidYaml() {
    assertThatThrownBy(() -> WorkflowYaml.parse("name: x\ntasks: [\n  - id: a", "bad.yaml"))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("not valid YAML at line");
  }
}
