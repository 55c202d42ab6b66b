package io.weft.ml.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.WorkflowDefinition;
import io.weft.core.api.WorkflowValidator;
import io.weft.core.api.WorkflowYaml;
import io.weft.workers.api.TaskHandler;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped examples are valid workflows of the built-in task types. */
class ExamplesTest {

  static final Path EXAMPLES =
      Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "examples");

  static Set<String> builtInTypes() {
    return ServiceLoader.load(TaskHandler.class).stream()
        .map(p -> p.get().taskType())
        .collect(Collectors.toSet());
  }

  @Test
  void shouldKeepTheExampleInTheWorkflowGuideValid() throws java.io.IOException {
    String guide = java.nio.file.Files.readString(EXAMPLES.resolveSibling("docs/workflows.md"));
    int start = guide.indexOf("```yaml\n") + "```yaml\n".length();
    String yaml = guide.substring(start, guide.indexOf("```", start));

    WorkflowDefinition definition = WorkflowYaml.parse(yaml, "docs/workflows.md");

    assertThat(WorkflowValidator.withKnownTypes(builtInTypes()).problems(definition)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mnist.yaml", "mnist-tune.yaml"})
  void shouldBeValidWorkflowsOfTheBuiltInTaskTypes(String file) {
    WorkflowDefinition definition = WorkflowYaml.read(EXAMPLES.resolve(file));

    assertThat(WorkflowValidator.withKnownTypes(builtInTypes()).problems(definition)).isEmpty();
  }
}
