package io.weft.core.internals.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ExpressionParseTest {

  @Test
  void shouldListTheReferencesOfAnExpressionInOrder() {
    // when
    Expression expression =
        Expression.parse("${tasks.pick.outputs.accuracy} >= 0.9 && (${params.deploy} || ${item})");

    // then
    assertThat(expression.references())
        .containsExactly(
            Reference.taskOutput("pick", "accuracy"), Reference.param("deploy"), Reference.item());
    assertThat(expression.source())
        .isEqualTo("${tasks.pick.outputs.accuracy} >= 0.9 && (${params.deploy} || ${item})");
  }

  @Test
  void shouldNameAMissingOperandAndItsPosition() {
    // when / then
    assertParseError("${params.a} >= >= 1", 15)
        .hasMessage("Expected an operand at position 15 in '${params.a} >= >= 1' but found '>='");
  }

  @Test
  void shouldReportAMissingOperandAtTheEnd() {
    // when / then
    assertParseError("${params.a} &&", 14)
        .hasMessageContaining("but found the end of the expression");
  }

  @Test
  void shouldSuggestParenthesesForANegatedComparisonOperand() {
    // when / then
    assertParseError("${params.a} == !${params.b}", 15)
        .hasMessageContaining("but found '!'")
        .hasMessageContaining("a == (!b)");
  }

  @Test
  void shouldRejectTrailingGarbageNamingItsPosition() {
    // when / then
    assertParseError("${params.a} == 1 2", 17)
        .hasMessage(
            "Unexpected '2' at position 17 in '${params.a} == 1 2':"
                + " expected an operator or the end of the expression");
  }

  @Test
  void shouldRejectAnUnbalancedClosingParenthesis() {
    // when / then
    assertParseError("(true))", 6).hasMessageStartingWith("Unexpected ')' at position 6");
  }

  @Test
  void shouldRejectAnEmptyExpression() {
    // when / then
    assertParseError("", 0).hasMessageStartingWith("Empty expression");
    assertParseError("   \t", 0).hasMessageStartingWith("Empty expression");
  }

  @Test
  void shouldRejectChainedComparisons() {
    // when / then
    assertParseError("1 < 2 < 3", 6)
        .hasMessageStartingWith("Comparisons cannot be chained: unexpected '<' at position 6")
        .hasMessageContaining("a < b && b < c");
  }

  @Test
  void shouldRejectAnUnclosedParenthesis() {
    // when / then
    assertParseError("(true && false", 14)
        .hasMessage(
            "Expected ')' at position 14 in '(true && false' but found the end of the expression"
                + " (to close the '(' at position 0)");
  }

  @Test
  void shouldRejectAnUnclosedString() {
    // when / then
    assertParseError("${params.a} == 'abc", 15)
        .hasMessage("Unclosed string starting at position 15 in '${params.a} == 'abc'");
  }

  @Test
  void shouldRejectAnUnknownStringEscape() {
    // when / then
    assertParseError("'a\\qb' == 'x'", 2)
        .hasMessageStartingWith("Unknown escape '\\q' at position 2");
  }

  @Test
  void shouldRejectASingleEqualsSignWithAHint() {
    // when / then
    assertParseError("${params.a} = 1", 12)
        .hasMessage(
            "Unexpected character '=' at position 12 in '${params.a} = 1'; use '==' to compare");
  }

  @Test
  void shouldRejectBareWords() {
    // when / then
    assertParseError("${params.a} == high", 15)
        .hasMessageStartingWith("Unexpected 'high' at position 15");
    assertParseError("True", 0).hasMessageStartingWith("Unexpected 'True' at position 0");
  }

  @Test
  void shouldRejectMalformedNumbers() {
    // when / then
    assertParseError("1. == 1", 0).hasMessageStartingWith("Malformed number '1.' at position 0");
    assertParseError("1e == 1", 0).hasMessageStartingWith("Malformed number '1e' at position 0");
    assertParseError("2 == 1e+", 5).hasMessageStartingWith("Malformed number '1e+' at position 5");
    assertParseError("- 1", 0).hasMessageStartingWith("Malformed number '-' at position 0");
  }

  @Test
  void shouldRejectMalformedReferencesAtTheirPosition() {
    // when / then
    assertParseError("true && ${foo.bar}", 8)
        .hasMessageStartingWith("Unknown reference '${foo.bar}' at position 8 in");
    assertParseError("${params.a} > ${params.b", 14)
        .hasMessage("Unclosed '${' at position 14 in '${params.a} > ${params.b'");
  }

  @Test
  void shouldReportTheFirstErrorInTheText() {
    // when / then
    assertParseError(">= 'unclosed", 0).hasMessageStartingWith("Expected an operand at position 0");
  }

  @Test
  void shouldRefuseANumberWhoseExponentIsOutOfRange() {
    // when / then: BigDecimal takes no exponent beyond an int
    assertParseError("${params.a} > 1e99999999999", 14)
        .hasMessage(
            "Number '1e99999999999' at position 14 in '${params.a} > 1e99999999999' is out of range");
  }

  @Test
  void shouldRefuseAnExpressionNestedOrChainedBeyondTheLimitRatherThanOverflowTheStack() {
    // given: each would make a tree, and a recursion, thousands deep
    String parentheses = "(".repeat(10_000) + "true" + ")".repeat(10_000);
    String negations = "!".repeat(10_000) + "true";
    String chain = "true" + " && true".repeat(10_000);

    // when / then
    assertParseError(parentheses, 256)
        .hasMessageStartingWith("Expression too complex at position 256");
    assertParseError(negations, 256)
        .hasMessageEndingWith(": more than 256 operators and parentheses");
    assertParseError(chain, 2053).hasMessageStartingWith("Expression too complex at position 2053");
    assertThat(Expression.parse("true" + " && true".repeat(255)).references()).isEmpty();
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertParseError(
      String text, int position) {
    return assertThatThrownBy(() -> Expression.parse(text))
        .isInstanceOf(ExpressionException.class)
        .satisfies(
            e -> {
              assertThat(((ExpressionException) e).position()).isEqualTo(position);
              assertThat(((ExpressionException) e).source()).isEqualTo(text);
            });
  }
}
