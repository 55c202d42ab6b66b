package io.weft.core.internals.expr;

import static io.weft.core.internals.expr.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindingsTest {

  private final MapBindings bindings =
      new MapBindings(
          Map.of("epochs", json("10"), "grid", json("[{'lr':0.1},{'lr':0.01}]")),
          Map.of("eval", Map.of("metrics", json("{'accuracy':0.93,'labels':['a','b']}"))),
          json("{'lr':0.1}"));

  @Test
  void shouldResolveEachKindOfReference() {
    // when
    JsonNode param = Bindings.resolve(Reference.param("epochs"), bindings);
    JsonNode output = Bindings.resolve(Reference.taskOutput("eval", "metrics"), bindings);
    JsonNode item = Bindings.resolve(Reference.item(), bindings);

    // then
    assertThat(param).isEqualTo(json("10"));
    assertThat(output).isEqualTo(json("{'accuracy':0.93,'labels':['a','b']}"));
    assertThat(item).isEqualTo(json("{'lr':0.1}"));
  }

  @Test
  void shouldFollowThePathThroughObjectsAndArrays() {
    // when
    JsonNode lr = Bindings.resolve(Reference.param("grid", "1", "lr"), bindings);
    JsonNode label =
        Bindings.resolve(Reference.taskOutput("eval", "metrics", "labels", "0"), bindings);
    JsonNode itemLr = Bindings.resolve(Reference.item("lr"), bindings);

    // then
    assertThat(lr).isEqualTo(json("0.01"));
    assertThat(label).isEqualTo(json("'a'"));
    assertThat(itemLr).isEqualTo(json("0.1"));
  }

  @Test
  void shouldSelectAnObjectFieldWhoseNameIsANumber() {
    // given
    MapBindings withNumericKeys = MapBindings.ofParams(Map.of("byYear", json("{'2024':'x'}")));

    // when
    JsonNode value = Bindings.resolve(Reference.param("byYear", "2024"), withNumericKeys);

    // then
    assertThat(value).isEqualTo(json("'x'"));
  }

  @Test
  void shouldTreatAJsonNullAsPresent() {
    // given
    MapBindings withNull = MapBindings.ofParams(Map.of("seed", NullNode.instance));

    // when
    JsonNode value = Bindings.resolve(Reference.param("seed"), withNull);

    // then
    assertThat(value.isNull()).isTrue();
  }

  @Test
  void shouldNameAMissingTaskOutput() {
    // when / then
    assertThatThrownBy(() -> Bindings.resolve(Reference.taskOutput("x", "y"), bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("Unresolved reference ${tasks.x.outputs.y}: task 'x' has no output 'y'");
  }

  @Test
  void shouldNameAMissingParam() {
    // when / then
    assertThatThrownBy(() -> Bindings.resolve(Reference.param("missing"), bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("Unresolved reference ${params.missing}: there is no param 'missing'");
  }

  @Test
  void shouldNameAMissingItem() {
    // when / then
    assertThatThrownBy(() -> Bindings.resolve(Reference.item(), MapBindings.empty()))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("Unresolved reference ${item}: there is no item");
  }

  @Test
  void shouldNameTheMissingStepOfAPath() {
    // when / then
    assertThatThrownBy(() -> Bindings.resolve(Reference.item("momentum"), bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("Unresolved reference ${item.momentum}: the object has no field 'momentum'");
    assertThatThrownBy(() -> Bindings.resolve(Reference.param("grid", "5"), bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("index 5 is out of bounds for an array of 2 elements");
    assertThatThrownBy(() -> Bindings.resolve(Reference.param("grid", "first"), bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("'first' is not an array index");
    assertThatThrownBy(() -> Bindings.resolve(Reference.param("epochs", "x"), bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("cannot select 'x' in number 10");
  }

  @Test
  void shouldCopyTheMapsItIsGiven() {
    // given
    Map<String, JsonNode> params = new HashMap<>(Map.of("a", json("1")));
    MapBindings copied = MapBindings.ofParams(params);

    // when
    params.put("b", json("2"));

    // then
    assertThat(copied.param("b")).isNull();
    assertThat(copied.param("a")).isEqualTo(json("1"));
  }

  @Test
  void shouldAddAnItemAndTaskOutputsToExistingBindings() {
    // given
    MapBindings base = MapBindings.ofParams(Map.of("a", json("1")));

    // when
    MapBindings extended =
        base.withItem(json("'x'")).withTaskOutputs("t", Map.of("out", json("true")));

    // then
    assertThat(extended.param("a")).isEqualTo(json("1"));
    assertThat(extended.item()).isEqualTo(json("'x'"));
    assertThat(extended.taskOutput("t", "out")).isEqualTo(json("true"));
    assertThat(extended.taskOutput("t", "other")).isNull();
    assertThat(base.item()).isNull();
  }
}
