package io.weft.core.internals.expr;

import static io.weft.core.internals.expr.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

  private final MapBindings bindings =
      new MapBindings(
          Map.of(
              "epochs", json("10"),
              "name", json("'resnet'"),
              "grid", json("[0.1, 0.01]"),
              "opts", json("{'dropout':0.5}"),
              "debug", json("false")),
          Map.of("prepare", Map.of("train", json("'s3://b/train.csv'"))),
          json("{'lr':0.01}"));

  @Test
  void shouldResolveAWholeReferenceToItsTypedValue() {
    // when
    JsonNode epochs = Template.parse("${params.epochs}").resolve(bindings);
    JsonNode grid = Template.parse("${params.grid}").resolve(bindings);
    JsonNode opts = Template.parse("${params.opts}").resolve(bindings);
    JsonNode lr = Template.parse("${item.lr}").resolve(bindings);

    // then
    assertThat(epochs.isNumber()).isTrue();
    assertThat(epochs.intValue()).isEqualTo(10);
    assertThat(grid).isEqualTo(json("[0.1, 0.01]"));
    assertThat(opts).isEqualTo(json("{'dropout':0.5}"));
    assertThat(lr).isEqualTo(json("0.01"));
  }

  @Test
  void shouldTreatAWholeReferenceWithInnerWhitespaceAsTyped() {
    // when
    JsonNode epochs = Template.parse("${ params.epochs }").resolve(bindings);

    // then
    assertThat(epochs).isEqualTo(json("10"));
  }

  @Test
  void shouldInterpolateWhenThereIsTextAroundTheReference() {
    // when
    JsonNode padded = Template.parse(" ${params.epochs}").resolve(bindings);
    JsonNode path = Template.parse("${tasks.prepare.outputs.train}.bak").resolve(bindings);

    // then
    assertThat(padded).isEqualTo(TextNode.valueOf(" 10"));
    assertThat(path).isEqualTo(TextNode.valueOf("s3://b/train.csv.bak"));
  }

  @Test
  void shouldInsertStringsRawAndOtherValuesAsJson() {
    // given
    Template template =
        Template.parse(
            "${params.name}: ${params.grid} ${params.opts} ${params.debug} e=${item.lr}");

    // when
    JsonNode text = template.resolve(bindings);

    // then
    assertThat(text.textValue()).isEqualTo("resnet: [0.1,0.01] {\"dropout\":0.5} false e=0.01");
  }

  @Test
  void shouldInterpolateSeveralAdjacentReferences() {
    // when
    JsonNode text = Template.parse("${params.name}${params.epochs}").resolve(bindings);

    // then
    assertThat(text).isEqualTo(TextNode.valueOf("resnet10"));
  }

  @Test
  void shouldResolveTextWithoutReferencesToItself() {
    // given
    Template template = Template.parse("plain {text} with $ signs }");

    // when
    JsonNode text = template.resolve(MapBindings.empty());

    // then
    assertThat(template.references()).isEmpty();
    assertThat(text).isEqualTo(TextNode.valueOf("plain {text} with $ signs }"));
  }

  @Test
  void shouldResolveAnEmptyTextToAnEmptyString() {
    // when
    JsonNode text = Template.parse("").resolve(MapBindings.empty());

    // then
    assertThat(text).isEqualTo(TextNode.valueOf(""));
  }

  @Test
  void shouldReadDollarDollarBraceAsALiteralDollarBrace() {
    // given
    Template template = Template.parse("echo $${HOME} and ${params.name}");

    // when
    JsonNode text = template.resolve(bindings);

    // then
    assertThat(template.references()).containsExactly(Reference.param("name"));
    assertThat(text).isEqualTo(TextNode.valueOf("echo ${HOME} and resnet"));
  }

  @Test
  void shouldResolveAnEscapedWholeReferenceToAString() {
    // given
    Template template = Template.parse("$${params.epochs}");

    // when
    JsonNode text = template.resolve(MapBindings.empty());

    // then
    assertThat(template.isSingleReference()).isFalse();
    assertThat(text).isEqualTo(TextNode.valueOf("${params.epochs}"));
  }

  @Test
  void shouldListReferencesInOrderOfAppearance() {
    // when
    Template template = Template.parse("${item.lr}-${params.a}-${tasks.t.outputs.o.x}");

    // then
    assertThat(template.references())
        .containsExactly(
            Reference.item("lr"), Reference.param("a"), Reference.taskOutput("t", "o", "x"));
    assertThat(template.source()).isEqualTo("${item.lr}-${params.a}-${tasks.t.outputs.o.x}");
  }

  @Test
  void shouldRejectAnUnclosedReferenceNamingItsPosition() {
    // when / then
    assertThatThrownBy(() -> Template.parse("abc ${params.x"))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("Unclosed '${' at position 4 in 'abc ${params.x'")
        .satisfies(
            e -> {
              assertThat(((ExpressionException) e).position()).isEqualTo(4);
              assertThat(((ExpressionException) e).source()).isEqualTo("abc ${params.x");
            });
  }

  @Test
  void shouldRejectAnUnknownReferenceNamingItsPositionInTheText() {
    // when / then
    assertThatThrownBy(() -> Template.parse("run-${foo.bar}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("Unknown reference '${foo.bar}' at position 4 in 'run-${foo.bar}'")
        .extracting(e -> ((ExpressionException) e).position())
        .isEqualTo(4);
  }

  @Test
  void shouldNameAnUnresolvedReferenceAndWhereItIs() {
    // when / then
    assertThatThrownBy(() -> Template.parse("data=${tasks.x.outputs.y}").resolve(bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("Unresolved reference ${tasks.x.outputs.y} at position 5")
        .extracting(e -> ((ExpressionException) e).position())
        .isEqualTo(5);
  }

  @Test
  void shouldResolveEveryStringOfANestedTree() {
    // given
    JsonNode params =
        json(
            "{'data':'${tasks.prepare.outputs.train}','epochs':'${params.epochs}',"
                + "'opts':{'lr':'${item.lr}','tags':['x-${params.name}',3,true,null]},'n':7}");

    // when
    JsonNode resolved = Template.resolveJson(params, bindings);

    // then
    assertThat(resolved)
        .isEqualTo(
            json(
                "{'data':'s3://b/train.csv','epochs':10,"
                    + "'opts':{'lr':0.01,'tags':['x-resnet',3,true,null]},'n':7}"));
  }

  @Test
  void shouldLeaveTheInputTreeUnchanged() {
    // given
    JsonNode params = json("{'epochs':'${params.epochs}','list':['${params.name}']}");
    JsonNode before = params.deepCopy();

    // when
    Template.resolveJson(params, bindings);

    // then
    assertThat(params).isEqualTo(before);
  }

  @Test
  void shouldFindReferencesInEveryStringOfATreeButNotInFieldNames() {
    // given
    JsonNode params = json("{'${params.key}':'${params.a}','b':[1,'${item} ${params.c.0}']}");

    // when
    var references = Template.referencesIn(params);

    // then
    assertThat(references)
        .containsExactly(Reference.param("a"), Reference.item(), Reference.param("c", "0"));
  }

  @Test
  void shouldPropagateParseErrorsFromReferencesIn() {
    // given
    JsonNode params = json("{'a':['ok','${params.x']}");

    // when / then
    assertThatThrownBy(() -> Template.referencesIn(params))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("Unclosed '${' at position 0 in '${params.x'");
  }
}
