package io.weft.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed definitions, each rejected with the problem named. */
class WorkflowValidatorTest {

  private static final WorkflowValidator VALIDATOR =
      WorkflowValidator.withKnownTypes(Set.of("noop", "train", "prepare-data"))
          .withLimits(new DefinitionLimits(5, 200));

  private static String task(String id, String type, String more) {
    return "  - id: " + id + "\n    type: " + type + "\n" + more;
  }

  private static String workflow(String params, String... tasks) {
    return "name: w\nversion: 1\n" + params + "tasks:\n" + String.join("", tasks);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(
            "cycle",
            workflow(
                "",
                task("a", "noop", "    dependsOn: [c]\n"),
                task("b", "noop", "    dependsOn: [a]\n"),
                task("c", "noop", "    dependsOn: [b]\n")),
            "workflow: tasks form a cycle: a -> c -> b -> a"),
        Arguments.of(
            "self-loop",
            workflow("", task("a", "noop", "    dependsOn: [a]\n")),
            "task 'a': depends on itself"),
        Arguments.of(
            "unknown dependency",
            workflow(
                "", task("prepare", "noop", ""), task("train", "noop", "    dependsOn: [prep]\n")),
            "task 'train': depends on 'prep', which does not exist; did you mean 'prepare'?"),
        Arguments.of(
            "duplicate id",
            workflow("", task("a", "noop", ""), task("a", "noop", "")),
            "task 'a': duplicate task id 'a'"),
        Arguments.of(
            "bad task id",
            workflow("", task("Train_1", "noop", "")),
            "task 'Train_1': id must match [a-z0-9-]+"),
        Arguments.of(
            "bad workflow name",
            "name: My Flow\nversion: 1\ntasks:\n" + task("a", "noop", ""),
            "workflow: name 'My Flow' must match [a-z0-9-]+"),
        Arguments.of(
            "non-positive version",
            "name: w\nversion: 0\ntasks:\n" + task("a", "noop", ""),
            "workflow: version must be a positive integer, got 0"),
        Arguments.of(
            "unknown task reference",
            workflow("", task("a", "noop", "    params: {x: \"${tasks.nope.outputs.y}\"}\n")),
            "task 'a' params.x: refers to ${tasks.nope.outputs.y}, but task 'nope' does not exist"),
        Arguments.of(
            "reference to a task not upstream",
            workflow(
                "",
                task("a", "noop", ""),
                task("b", "noop", "    params: {x: \"${tasks.a.outputs.y}\"}\n")),
            "task 'b' params.x: refers to ${tasks.a.outputs.y}, but 'a' is not upstream of this task (add it to dependsOn)"),
        Arguments.of(
            "undeclared param",
            workflow(
                "params: {epochs: 5}\n",
                task("a", "noop", "    params: {x: \"${params.epoch}\"}\n")),
            "task 'a' params.x: refers to ${params.epoch}, but the workflow declares no parameter 'epoch'"),
        Arguments.of(
            "item outside forEach",
            workflow("", task("a", "noop", "    params: {x: \"${item}\"}\n")),
            "task 'a' params.x: refers to ${item} outside a forEach task"),
        Arguments.of(
            "zero attempts",
            workflow("", task("a", "noop", "    retry: {maxAttempts: 0}\n")),
            "task 'a' retry: maxAttempts must be between 1 and 100, got 0"),
        Arguments.of(
            "backoff max below initial",
            workflow(
                "",
                task(
                    "a",
                    "noop",
                    "    retry: {maxAttempts: 2, backoff: {initial: 10s, max: 1s}}\n")),
            "task 'a' retry: backoff.max (1s) is shorter than backoff.initial (10s)"),
        Arguments.of(
            "multiplier below one",
            workflow(
                "", task("a", "noop", "    retry: {maxAttempts: 2, backoff: {multiplier: 0.5}}\n")),
            "task 'a' retry: backoff.multiplier must be between 1.0 and 100, got 0.5"),
        Arguments.of(
            "zero timeout",
            workflow("", task("a", "noop", "    timeout: 0s\n")),
            "task 'a' timeout: must be positive and at most 7 days, got 0s"),
        Arguments.of(
            "malformed when",
            workflow("", task("a", "noop", "    when: ${params.x} >= >= 1\n")),
            "task 'a' when: Expected an operand"),
        Arguments.of(
            "forEach not a list",
            workflow("params: {grid: 5}\n", task("a", "noop", "    forEach: ${params.grid}\n")),
            "task 'a' forEach: must yield a list, but '${params.grid}' yields 5"),
        Arguments.of(
            "too many tasks",
            workflow(
                "",
                task("a", "noop", ""),
                task("b", "noop", ""),
                task("c", "noop", ""),
                task("d", "noop", ""),
                task("e", "noop", ""),
                task("f", "noop", "")),
            "workflow: has 6 tasks, more than the limit of 5"),
        Arguments.of(
            "params too large",
            workflow("params: {blob: \"" + "x".repeat(300) + "\"}\n", task("a", "noop", "")),
            "more than the limit of 200"),
        Arguments.of(
            "unknown task type",
            workflow("", task("a", "trian", "")),
            "task 'a': task type 'trian' is not served by any worker; known types: noop, prepare-data, train"),
        Arguments.of("no tasks", "name: w\nversion: 1\ntasks: []\n", "workflow: has no tasks"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void shouldRejectAMalformedDefinitionNamingTheProblem(String name, String yaml, String expected) {
    // given
    WorkflowDefinition definition = WorkflowYaml.parse(yaml, name + ".yaml");

    // when / then
    assertThatThrownBy(() -> VALIDATOR.validate(definition))
        .isInstanceOf(InvalidDefinitionException.class)
        .satisfies(
            e ->
                assertThat(((InvalidDefinitionException) e).problems())
                    .extracting(DefinitionProblem::toString)
                    .anyMatch(p -> p.startsWith(expected) || p.contains(expected)));
  }

  @Test
  void shouldReportAllProblemsTogether() {
    // given
    WorkflowDefinition definition =
        WorkflowYaml.parse(
            workflow(
                "",
                task("a", "noop", "    dependsOn: [zz]\n"),
                task("a", "unknown", "    timeout: 0s\n")),
            "many.yaml");

    // when
    List<DefinitionProblem> problems = VALIDATOR.problems(definition);

    // then
    assertThat(problems)
        .extracting(DefinitionProblem::message)
        .anyMatch(m -> m.startsWith("duplicate task id"))
        .anyMatch(m -> m.startsWith("depends on 'zz'"))
        .anyMatch(m -> m.startsWith("task type 'unknown'"));
  }

  @Test
  void shouldCheckADefinitionOverTheTaskLimitNoFurther() {
    // given: six tasks, over the limit of five, with a cycle and an unknown dependency
    WorkflowDefinition definition =
        WorkflowYaml.parse(
            workflow(
                "",
                task("a", "noop", "    dependsOn: [b, zz]\n"),
                task("b", "noop", "    dependsOn: [a]\n"),
                task("c", "noop", ""),
                task("d", "noop", ""),
                task("e", "noop", ""),
                task("f", "noop", "")),
            "six.yaml");

    // when / then
    assertThat(VALIDATOR.problems(definition))
        .extracting(DefinitionProblem::toString)
        .containsExactly("workflow: has 6 tasks, more than the limit of 5");
  }

  @Test
  void shouldListTenCyclesOfADenseGraphAndSayThereAreMore() {
    // given: six tasks that each depend on all the others
    List<String> ids = List.of("a", "b", "c", "d", "e", "f");
    WorkflowDefinition.Builder builder = WorkflowDefinition.builder("dense", 1);
    for (String id : ids) {
      builder.task(
          TaskDefinition.builder(id, "noop")
              .dependsOn(ids.stream().filter(d -> !d.equals(id)).toArray(String[]::new)));
    }

    // when
    List<DefinitionProblem> problems =
        WorkflowValidator.withoutTypeCheck().problems(builder.build());

    // then
    assertThat(problems).hasSize(11);
    assertThat(problems.subList(0, 10))
        .allMatch(p -> p.message().startsWith("tasks form a cycle: "));
    assertThat(problems.get(10)).hasToString("workflow: tasks form more cycles than these 10");
  }

  @Test
  void shouldValidateDefinitionsMadeToBeSlowWithinTwoSecondsEach() {
    // given: long ids and dependencies, each close to the scalar limit, that no task has (a "did
    // you mean" costs the product of the lengths); a dense graph whose every task refers to an
    // output (each asks what is upstream); a chain of 20,000 tasks
    StringBuilder longNames = new StringBuilder("name: w\nversion: 1\ntasks:\n");
    for (char c = 'a'; c < 'o'; c++) {
      longNames.append("  - {id: ").append(c).append("x".repeat(30_000)).append(", type: noop");
      longNames.append(", dependsOn: ").append(c).append("y".repeat(30_000)).append("}\n");
    }
    StringBuilder dense = new StringBuilder("name: w\nversion: 1\ntasks:\n");
    for (int i = 0; i < 350; i++) {
      dense.append("  - {id: a").append(i).append(", type: noop, params: {p: '${tasks.a");
      dense.append((i + 1) % 350).append(".outputs.x}'}, dependsOn: [");
      for (int j = 0; j < 350; j++) {
        dense.append(j == i ? "" : "a" + j + ",");
      }
      dense.append("]}\n");
    }
    StringBuilder chain =
        new StringBuilder("name: w\nversion: 1\ntasks:\n  - {id: a0, type: noop}\n");
    for (int i = 1; i < 20_000; i++) {
      chain.append("  - {id: a").append(i).append(", type: noop, dependsOn: a").append(i - 1);
      chain.append("}\n");
    }
    WorkflowValidator validator = WorkflowValidator.withoutTypeCheck();

    for (StringBuilder yaml : List.of(longNames, dense, chain)) {
      WorkflowDefinition definition = WorkflowYaml.parse(yaml.toString(), "slow.yaml");

      // when / then
      assertThat(
              assertTimeoutPreemptively(
                  Duration.ofSeconds(2), () -> validator.problems(definition)))
          .isNotEmpty();
    }
  }

  @Test
  void shouldAcceptAValidDefinitionBuiltInJava() {
    // given
    WorkflowDefinition definition =
        WorkflowDefinition.builder("w", 1)
            .param("epochs", 3)
            .task(TaskDefinition.builder("prepare", "prepare-data"))
            .task(
                TaskDefinition.builder("train", "train")
                    .dependsOn("prepare")
                    .param("epochs", "${params.epochs}")
                    .param("data", "${tasks.prepare.outputs.train}"))
            .build();

    // when / then
    assertThat(VALIDATOR.validate(definition)).isSameAs(definition);
  }
}
