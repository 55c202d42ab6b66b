package io.weft.core.internals.expr;

import static io.weft.core.internals.expr.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionEvaluateTest {

  private final MapBindings bindings =
      new MapBindings(
          Map.of(
              "a", json("2"),
              "grid", json("[0.1, 0.01]"),
              "deploy", json("true"),
              "label", json("'high'"),
              "big", json("9007199254740993"),
              "none", json("null")),
          Map.of("pick", Map.of("accuracy", json("0.93"), "metrics", json("{'f1':0.8}"))),
          json("{'lr':0.01}"));

  @Test
  void shouldEvaluateATaskOutputCondition() {
    // given
    Expression expression = Expression.parse("${tasks.pick.outputs.accuracy} >= 0.9");

    // when
    boolean result = expression.test(bindings);

    // then
    assertThat(result).isTrue();
  }

  @Test
  void shouldEvaluateABareReferenceToItsValue() {
    // when
    JsonNode grid = Expression.parse("${params.grid}").evaluate(bindings);
    JsonNode f1 = Expression.parse(" ${tasks.pick.outputs.metrics.f1} ").evaluate(bindings);

    // then
    assertThat(grid).isEqualTo(json("[0.1, 0.01]"));
    assertThat(f1).isEqualTo(json("0.8"));
  }

  @Test
  void shouldEvaluateLiterals() {
    // when / then
    assertThat(Expression.parse("-1.5e2").evaluate(bindings).decimalValue())
        .isEqualByComparingTo("-150");
    assertThat(Expression.parse("42").evaluate(bindings).longValue()).isEqualTo(42L);
    assertThat(Expression.parse("'it\\'s'").evaluate(bindings).textValue()).isEqualTo("it's");
    assertThat(Expression.parse("null").evaluate(bindings).isNull()).isTrue();
    assertThat(Expression.parse("false").evaluate(bindings).booleanValue()).isFalse();
  }

  @Test
  void shouldDecodeStringEscapes() {
    // when
    JsonNode value = Expression.parse("\"q\\\" s\\' b\\\\ n\\n t\\t\"").evaluate(bindings);

    // then
    assertThat(value.textValue()).isEqualTo("q\" s' b\\ n\n t\t");
  }

  @Test
  void shouldKeepReferenceSyntaxInsideStringLiteralsAsText() {
    // when
    JsonNode value = Expression.parse("'${params.a}'").evaluate(bindings);

    // then
    assertThat(value.textValue()).isEqualTo("${params.a}");
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '`',
      value = {
        "true || false && false; true",
        "false && true || true; true",
        "!false && false; false",
        "!(false && false); true",
        "!!true; true",
        "1 < 2 && 2 < 3; true",
        "1 == 1 || 1 == 2 && false; true",
        "(true || false) && false; false"
      })
  void shouldApplyOperatorPrecedenceAndParentheses(String text, boolean expected) {
    // when
    boolean result = Expression.parse(text).test(bindings);

    // then
    assertThat(result).isEqualTo(expected);
  }

  @Test
  void shouldBindComparisonTighterThanNot() {
    // given: a non-boolean operand would be an error for '!' if '!' bound tighter
    Expression expression = Expression.parse("!${params.a} == 3");

    // when
    boolean result = expression.test(bindings);

    // then
    assertThat(result).isTrue();
  }

  @Test
  void shouldShortCircuitAndWithoutResolvingTheRightSide() {
    // when
    boolean result = Expression.parse("false && ${params.missing}").test(bindings);

    // then
    assertThat(result).isFalse();
  }

  @Test
  void shouldShortCircuitOrWithoutResolvingTheRightSide() {
    // when
    boolean result = Expression.parse("${params.deploy} || ${params.missing} > 1").test(bindings);

    // then
    assertThat(result).isTrue();
  }

  @Test
  void shouldFailOnAMissingReferenceThatIsEvaluated() {
    // when / then
    assertThatThrownBy(() -> Expression.parse("true && ${params.missing}").test(bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessage(
            "Unresolved reference ${params.missing} at position 8 in 'true && ${params.missing}':"
                + " there is no param 'missing'");
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '`',
      value = {
        "1 == 1.0; true",
        "1.10 == 1.1; true",
        "10 > 9; true",
        "-1 < 0; true",
        "1e2 == 100; true",
        "${params.big} > 9007199254740992; true",
        "${params.big} == 9007199254740992.0; false",
        "${tasks.pick.outputs.accuracy} != 0.930; false",
        "0.1 <= ${item.lr}; false"
      })
  void shouldCompareNumbersByValue(String text, boolean expected) {
    // when
    boolean result = Expression.parse(text).test(bindings);

    // then
    assertThat(result).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '`',
      value = {
        "'abc' < 'abd'; true",
        "'10' < '9'; true",
        "'b' >= 'a'; true",
        "${params.label} == \"high\"; true",
        "'B' > 'a'; false"
      })
  void shouldCompareStringsLexicographically(String text, boolean expected) {
    // when
    boolean result = Expression.parse(text).test(bindings);

    // then
    assertThat(result).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '`',
      value = {
        "'1' == 1; false",
        "'1' != 1; true",
        "'true' == true; false",
        "${params.none} == null; true",
        "${params.none} == false; false",
        "0 == false; false",
        "${params.grid} == ${params.grid}; true",
        "${item} == ${tasks.pick.outputs.metrics}; false"
      })
  void shouldNotCoerceValuesOfDifferentTypesForEquality(String text, boolean expected) {
    // when
    boolean result = Expression.parse(text).test(bindings);

    // then
    assertThat(result).isEqualTo(expected);
  }

  @Test
  void shouldCompareNestedNumbersByValueForEquality() {
    // given
    MapBindings nested =
        MapBindings.ofParams(Map.of("x", json("{'a':[1,2.0]}"), "y", json("{'a':[1.0,2]}")));

    // when
    boolean result = Expression.parse("${params.x} == ${params.y}").test(nested);

    // then
    assertThat(result).isTrue();
  }

  @Test
  void shouldRejectOrderingANumberAndAString() {
    // when / then
    assertThatThrownBy(
            () ->
                Expression.parse("${tasks.pick.outputs.accuracy} >= ${params.label}")
                    .test(bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith(
            "Cannot compare number 0.93 with string \"high\" using '>=' at position 31 in"
                + " '${tasks.pick.outputs.accuracy} >= ${params.label}'")
        .extracting(e -> ((ExpressionException) e).position())
        .isEqualTo(31);
  }

  @Test
  void shouldRejectOrderingNullsBooleansAndContainers() {
    // when / then
    assertThatThrownBy(() -> Expression.parse("null < 1").test(bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("Cannot compare null null with number 1 using '<'");
    assertThatThrownBy(() -> Expression.parse("true > false").test(bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("Cannot compare boolean true with boolean false using '>'");
    assertThatThrownBy(() -> Expression.parse("${params.grid} <= 1").test(bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("Cannot compare array [0.1,0.01] with number 1 using '<='");
  }

  @Test
  void shouldRequireBooleansForLogicalOperators() {
    // when / then
    assertThatThrownBy(() -> Expression.parse("${params.a} && true").test(bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessage(
            "Expected a boolean on the left of '&&' at position 12 in '${params.a} && true'"
                + " but found number 2");
    assertThatThrownBy(() -> Expression.parse("false || 'yes'").test(bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("Expected a boolean on the right of '||' at position 6")
        .hasMessageEndingWith("but found string \"yes\"");
    assertThatThrownBy(() -> Expression.parse("!${params.label}").test(bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("Expected a boolean after '!' at position 0")
        .hasMessageEndingWith("but found string \"high\"");
  }

  @Test
  void shouldRequireABooleanResultFromTest() {
    // when / then
    assertThatThrownBy(() -> Expression.parse("${tasks.pick.outputs.accuracy}").test(bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("Condition '${tasks.pick.outputs.accuracy}' evaluated to 0.93, not a boolean");
  }

  @Test
  void shouldReturnANonBooleanResultFromEvaluate() {
    // when
    JsonNode value = Expression.parse("${tasks.pick.outputs.accuracy}").evaluate(bindings);

    // then
    assertThat(value.decimalValue()).isEqualByComparingTo("0.93");
  }

  @Test
  void shouldEvaluateTheSameExpressionAgainstDifferentItems() {
    // given
    Expression expression = Expression.parse("${item.lr} < 0.05");

    // when
    boolean small = expression.test(bindings.withItem(json("{'lr':0.01}")));
    boolean large = expression.test(bindings.withItem(json("{'lr':0.1}")));

    // then
    assertThat(small).isTrue();
    assertThat(large).isFalse();
  }
}
