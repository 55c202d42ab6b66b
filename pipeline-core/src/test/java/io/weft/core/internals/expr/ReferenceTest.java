package io.weft.core.internals.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.core.internals.expr.Reference.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferenceTest {

  @Test
  void shouldParseAParamReference() {
    // when
    Reference reference = Reference.parse("${params.epochs}");

    // then
    assertThat(reference).isEqualTo(new Reference(Kind.PARAM, null, "epochs", List.of()));
  }

  @Test
  void shouldParseATaskOutputReference() {
    // when
    Reference reference = Reference.parse("${tasks.prepare.outputs.train}");

    // then
    assertThat(reference.kind()).isEqualTo(Kind.TASK_OUTPUT);
    assertThat(reference.taskId()).isEqualTo("prepare");
    assertThat(reference.name()).isEqualTo("train");
    assertThat(reference.path()).isEmpty();
  }

  @Test
  void shouldParseAnItemReference() {
    // when
    Reference reference = Reference.parse("${item}");

    // then
    assertThat(reference).isEqualTo(new Reference(Kind.ITEM, null, null, List.of()));
  }

  @Test
  void shouldParsePathSegmentsAfterEachKindOfReference() {
    // when
    Reference param = Reference.parse("${params.grid.0}");
    Reference output = Reference.parse("${tasks.t.outputs.metrics.accuracy}");
    Reference item = Reference.parse("${item.lr}");

    // then
    assertThat(param).isEqualTo(Reference.param("grid", "0"));
    assertThat(output).isEqualTo(Reference.taskOutput("t", "metrics", "accuracy"));
    assertThat(item).isEqualTo(Reference.item("lr"));
  }

  @Test
  void shouldAcceptLettersDigitsUnderscoresAndDashesInNames() {
    // when
    Reference reference = Reference.parse("${tasks.train-v2.outputs.model_0}");

    // then
    assertThat(reference).isEqualTo(Reference.taskOutput("train-v2", "model_0"));
  }

  @Test
  void shouldIgnoreWhitespaceJustInsideTheBraces() {
    // when
    Reference reference = Reference.parse("${  params.x\t}");

    // then
    assertThat(reference).isEqualTo(Reference.param("x"));
  }

  @Test
  void shouldRenderTheCanonicalTextOfEachKind() {
    // given
    Reference param = Reference.parse("${ params.grid.0 }");
    Reference output = Reference.taskOutput("t", "metrics", "accuracy");
    Reference item = Reference.item();

    // when / then
    assertThat(param).hasToString("${params.grid.0}");
    assertThat(output).hasToString("${tasks.t.outputs.metrics.accuracy}");
    assertThat(item).hasToString("${item}");
  }

  @Test
  void shouldRejectAnUnknownRootNamingTheReferenceAndThePosition() {
    // when / then
    assertThatThrownBy(() -> Reference.parse("${foo.bar}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessage(
            "Unknown reference '${foo.bar}' at position 0: expected ${params.<name>},"
                + " ${tasks.<id>.outputs.<name>} or ${item}")
        .extracting(e -> ((ExpressionException) e).position())
        .isEqualTo(0);
  }

  @Test
  void shouldRejectAParamReferenceWithoutAName() {
    // when / then
    assertThatThrownBy(() -> Reference.parse("${params}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("Malformed reference '${params}' at position 0: expected ${params.<name>}");
  }

  @Test
  void shouldRejectATaskReferenceWithoutOutputs() {
    // when / then
    assertThatThrownBy(() -> Reference.parse("${tasks.train.output.model}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("Malformed reference '${tasks.train.output.model}'")
        .hasMessageContaining("expected ${tasks.<id>.outputs.<name>}");
  }

  @Test
  void shouldRejectASegmentWithForbiddenCharacters() {
    // when / then
    assertThatThrownBy(() -> Reference.parse("${params.learning rate}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("'learning rate' is not a valid name");
  }

  @Test
  void shouldRejectAnEmptySegment() {
    // when / then
    assertThatThrownBy(() -> Reference.parse("${item..lr}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("a name is empty");
  }

  @Test
  void shouldRejectAnEmptyReference() {
    // when / then
    assertThatThrownBy(() -> Reference.parse("${ }"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("Unknown reference '${ }' at position 0");
  }

  @Test
  void shouldRejectTextThatIsNotExactlyOneReference() {
    // when / then
    assertThatThrownBy(() -> Reference.parse("x ${params.a}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("Expected exactly one reference in 'x ${params.a}'");
  }

  @Test
  void shouldRejectComponentsThatDoNotFitTheKind() {
    // when / then
    assertThatThrownBy(() -> new Reference(Kind.PARAM, "t", "x", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taskId");
    assertThatThrownBy(() -> new Reference(Kind.ITEM, null, "x", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
    assertThatThrownBy(() -> Reference.param("a.b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a.b' is not a valid name");
  }
}
