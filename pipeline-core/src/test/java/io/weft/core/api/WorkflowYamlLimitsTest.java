package io.weft.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Documents past the reader's limits, each refused with the limit and the place named. */
class WorkflowYamlLimitsTest {

  private static final String TASKS = "tasks:\n  - {id: a, type: noop}\n";

  @TempDir Path dir;

  @Test
  void shouldRefuseADocumentOverTheSizeLimitCountingBytesNotCharacters() {
    // given: 600,000 characters, but 1,200,000 bytes of UTF-8
    String yaml = "name: x\nversion: 1\n" + TASKS + "# " + "é".repeat(600_000);

    // when / then
    assertRefused(yaml, "big.yaml")
        .hasMessageContaining("big.yaml")
        .hasMessageEndingWith(
            "workflow: the document is 1200052 bytes, more than the limit of 1048576 bytes");
  }

  @Test
  void shouldReadADocumentOfExactlyTheSizeLimit() {
    // given
    String head = "name: x\nversion: 1\n" + TASKS + "# ";
    String yaml = head + "x".repeat(WorkflowYaml.MAX_DOCUMENT_BYTES - head.length());

    // when / then
    assertThat(WorkflowYaml.parse(yaml, "full.yaml").tasks()).hasSize(1);
  }

  @Test
  void shouldRefuseAFileOverTheSizeLimitNamingItsSize() throws Exception {
    // given
    Path file = dir.resolve("huge.yaml");
    Files.writeString(file, "name: x\n# " + "x".repeat(3 << 20));

    // when / then
    assertThatThrownBy(() -> WorkflowYaml.read(file))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageEndingWith(
            "workflow: the document is 3145738 bytes, more than the limit of 1048576 bytes");
  }

  @Test
  void shouldRefuseAnAliasBombWithoutExpandingIt() {
    // given: billion laughs, 10^9 strings if it were expanded
    StringBuilder yaml = new StringBuilder("name: x\nversion: 1\nparams:\n");
    yaml.append("  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i <= 9; i++) {
      yaml.append("  l").append(i).append(": &l").append(i).append(" [");
      yaml.append(("*l" + (i - 1) + ", ").repeat(9)).append("*l").append(i - 1).append("]\n");
    }
    yaml.append(TASKS);

    // when / then: the first alias is refused
    assertRefused(yaml.toString(), "bomb.yaml")
        .hasMessageEndingWith(
            "workflow: alias *l0 at line 5, column 12: aliases are not supported; write the value"
                + " out");
  }

  @Test
  void shouldRefuseAnAliasRatherThanReadItAsTheAnchorsName() {
    // given: the parser would read b as the string "x"
    String yaml = "name: x\nversion: 1\nparams: {a: &x [1, 2], b: *x}\n" + TASKS;

    // when / then
    assertRefused(yaml, "alias.yaml").hasMessageContaining("alias *x at line 3, column 27");
  }

  @Test
  void shouldRefuseNestingDeeperThanTheLimitNamingWhere() {
    // given: the document's mapping, params and 62 lists make 64; one more list is too deep
    String deep = "name: x\nversion: 1\nparams: {p: " + "[".repeat(63) + "]".repeat(63) + "}\n";
    String limit = "name: x\nversion: 1\nparams: {p: " + "[".repeat(62) + "]".repeat(62) + "}\n";

    // when / then
    assertRefused(deep + TASKS, "deep.yaml")
        .hasMessageEndingWith(
            "workflow: over a limit at line 3, column 75: Document nesting depth (65) exceeds the"
                + " maximum allowed (64)");
    assertThat(WorkflowYaml.parse(limit + TASKS, "deep.yaml").params()).containsKey("p");
  }

  @Test
  void shouldRefuseAStringOrKeyLongerThanTheLimit() {
    // given
    String value = "name: x\nversion: 1\ndescription: " + "x".repeat(65_537) + "\n" + TASKS;
    String key = "name: x\nversion: 1\nparams: {" + "k".repeat(65_537) + ": 1}\n" + TASKS;
    String atLimit = "name: x\nversion: 1\ndescription: " + "x".repeat(65_536) + "\n" + TASKS;

    // when / then
    assertRefused(value, "long.yaml")
        .hasMessageEndingWith(
            "workflow: a scalar of 65537 characters at line 3, column 14 is longer than the limit"
                + " of 65536");
    assertRefused(key, "long.yaml").hasMessageContaining("a scalar of 65537 characters at line 3");
    assertThat(WorkflowYaml.parse(atLimit, "long.yaml").description()).hasSize(65_536);
  }

  @Test
  void shouldRefuseANumberLongerThanTheParsersLimit() {
    // given (a much longer run of digits the parser reads as a string)
    String yaml = "name: x\nversion: 1\nparams: {n: " + "9".repeat(1_001) + "}\n" + TASKS;

    // when / then
    assertRefused(yaml, "number.yaml")
        .hasMessageContaining(
            "over a limit at line 3, column 13: Number value length (1001) exceeds the maximum"
                + " allowed (1000)");
  }

  @Test
  void shouldRefuseAFileThatIsNotUtf8NamingTheByte() throws Exception {
    // given
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes("name: caf".getBytes(StandardCharsets.UTF_8));
    bytes.write(0xE9); // é in Latin-1
    bytes.writeBytes(("\nversion: 1\n" + TASKS).getBytes(StandardCharsets.UTF_8));
    Path file = Files.write(dir.resolve("latin1.yaml"), bytes.toByteArray());

    // when / then
    assertThatThrownBy(() -> WorkflowYaml.read(file))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageEndingWith("workflow: not valid UTF-8 at byte 9 of 53");
  }

  @Test
  void shouldRefuseADuplicateKeyRatherThanKeepTheLastValue() {
    // given
    String yaml = "name: x\nversion: 1\ntasks:\n  - id: a\n    type: noop\n    id: b\n";

    // when / then
    assertRefused(yaml, "twice.yaml")
        .hasMessageContaining("not valid YAML at line 6, column 7: Duplicate field 'id'");
  }

  @Test
  void shouldRefuseASecondDocumentRatherThanIgnoreIt() {
    // given
    String yaml = "name: x\nversion: 1\n" + TASKS + "---\nname: y\nversion: 1\n" + TASKS;

    // when / then
    assertRefused(yaml, "two.yaml")
        .hasMessageEndingWith(
            "workflow: a second YAML document begins at line 6, column 1; a definition is one"
                + " document");
  }

  @Test
  void shouldRefuseAMemorySizeBeyondALongRatherThanWrapIt() {
    // given: 2^64 + 1000, which a long would hold as 1000
    String yaml =
        "name: x\nversion: 1\ntasks:\n  - {id: a, type: noop,"
            + " resources: {memory: 18446744073709552616}}\n";

    // when / then
    assertRefused(yaml, "memory.yaml")
        .hasMessageEndingWith(
            "task 'a' resources.memory: '18446744073709552616' is too large a size");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
      String yaml, String source) {
    return assertThatThrownBy(() -> WorkflowYaml.parse(yaml, source))
        .isInstanceOf(InvalidDefinitionException.class)
        .satisfies(e -> assertThat(((InvalidDefinitionException) e).problems()).hasSize(1));
  }
}
