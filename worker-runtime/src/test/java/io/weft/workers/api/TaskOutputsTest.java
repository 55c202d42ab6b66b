package io.weft.workers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.schemas.common.ArtifactRef;
import org.junit.jupiter.api.Test;

class TaskOutputsTest {

  @Test
  void shouldReturnANewValueOnEveryWithAndLeaveTheOriginalUnchanged() {
    // given
    TaskOutputs base = TaskOutputs.empty().with("a", 1);

    // when
    TaskOutputs more = base.with("b", "two").withMetric("loss", 0.5);

    // then
    assertThat(base.outputs()).containsOnlyKeys("a");
    assertThat(base.metrics()).isEmpty();
    assertThat(more.outputs()).containsOnlyKeys("a", "b");
    assertThat(more.metrics()).containsEntry("loss", 0.5);
    assertThatThrownBy(() -> more.outputs().put("c", OutputValue.ofJson(null)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void shouldCopyMutableValuesIn() {
    // given
    ObjectNode node = JsonNodeFactory.instance.objectNode().put("k", 1);
    ArtifactRef ref = new ArtifactRef("file:///x", "ab", 1L, "a/b");
    TaskOutputs outputs = TaskOutputs.empty().with("node", node).with("ref", ref);

    // when
    node.put("k", 2);
    ref.setUri("file:///changed");

    // then
    assertThat(outputs.outputs().get("node").json().get("k").intValue()).isEqualTo(1);
    assertThat(outputs.outputs().get("ref").artifact().getUri()).isEqualTo("file:///x");
  }

  @Test
  void shouldRefuseBadNamesNonFiniteMetricsAndValuesThatAreNotJson() {
    // given
    TaskOutputs outputs = TaskOutputs.empty();

    // when / then
    assertThatThrownBy(() -> outputs.with("has space", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has space");
    assertThatThrownBy(() -> outputs.withMetric("loss", Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loss");
    assertThatThrownBy(() -> outputs.with("thread", new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Output 'thread'");
  }
}
