package io.weft.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.weft.core.api.YamlFuzzCases.Case;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * Strangers' bytes: whatever a definition document holds, {@link WorkflowYaml} reads it or refuses
 * it with an {@link InvalidDefinitionException} that says why, within a time bound, and what it
 * reads the validator checks without failing either. Any other exception or error is a crash, a
 * case past the bound a hang. The cases, 1,000 random and 1,000 mutated, come from a fixed seed, so
 * a failure names a case that fails again.
 */
class WorkflowYamlFuzzTest {

  private static final long SEED = 20261207L;
  private static final int CASES = 1_000;
  private static final Duration BOUND = Duration.ofSeconds(2);
  private static final Path EXAMPLES =
      Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "examples");

  @TempDir Path dir;
  private final WorkflowValidator validator = WorkflowValidator.withoutTypeCheck();
  private final AtomicInteger read = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  /** The valid definitions mutated: the test's and the shipped examples. */
  static List<String> seeds() {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<String> seeds = new ArrayList<>(List.of(WorkflowYamlTest.MNIST));
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        seeds.add(Files.readString(file));
      }
      return seeds;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void seedsAreValid() {
    List<String> seeds = seeds();
    assertThat(seeds).hasSizeGreaterThanOrEqualTo(3);
    seeds.forEach(yaml -> assertThat(WorkflowYaml.parse(yaml, "seed.yaml").tasks()).isNotEmpty());
  }

  @Test
  void shouldReadOrRefuseRandomInputsWithoutCrashingOrHanging() {
    // given
    YamlFuzzCases cases = new YamlFuzzCases(new Random(SEED), seeds());
    List<String> failures = new ArrayList<>();

    // when
    for (int i = 0; i < CASES; i++) {
      check(i, cases.random(i), failures);
    }

    // then
    assertThat(failures).isEmpty();
    assertThat(refused).hasPositiveValue();
  }

  @Test
  void shouldReadOrRefuseMutatedDefinitionsWithoutCrashingOrHanging() {
    // given
    YamlFuzzCases cases = new YamlFuzzCases(new Random(SEED), seeds());
    List<String> failures = new ArrayList<>();

    // when
    for (int i = 0; i < CASES; i++) {
      check(i, cases.mutated(), failures);
    }

    // then: some mutations still read (a changed value, a moved line), most are refused
    assertThat(failures).isEmpty();
    assertThat(read).hasPositiveValue();
    assertThat(refused).hasPositiveValue();
  }

  private void check(int index, Case input, List<String> failures) {
    String failure;
    try {
      failure = assertTimeoutPreemptively(BOUND, () -> outcome(input));
    } catch (AssertionFailedError e) {
      failure = "hung: " + e.getMessage();
    }
    if (failure != null) {
      failures.add("case " + index + " (" + input.what() + ", " + input.size() + "): " + failure);
    }
  }

  /** Null when the input was read (and validated) or refused as it should be, else what failed. */
  private String outcome(Case input) throws IOException {
    try {
      WorkflowDefinition definition;
      if (input.text() != null) {
        definition = WorkflowYaml.parse(input.text(), "fuzz.yaml");
      } else {
        Path file = Files.write(dir.resolve("fuzz.yaml"), input.bytes());
        definition = WorkflowYaml.read(file);
      }
      validator.problems(definition);
      read.incrementAndGet();
      return null;
    } catch (InvalidDefinitionException e) {
      refused.incrementAndGet();
      boolean explained =
          e.getMessage() != null
              && !e.getMessage().isBlank()
              && !e.problems().isEmpty()
              && e.problems().stream().noneMatch(p -> p.message() == null || p.message().isBlank());
      return explained ? null : "refused without saying why: " + e.getMessage();
    } catch (RuntimeException | Error e) {
      return "crashed with " + e + " at " + frames(e);
    }
  }

  private static String frames(Throwable e) {
    return Arrays.stream(e.getStackTrace())
        .limit(6)
        .map(StackTraceElement::toString)
        .collect(Collectors.joining(" < "));
  }
}
