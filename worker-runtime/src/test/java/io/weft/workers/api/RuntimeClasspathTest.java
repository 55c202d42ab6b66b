package io.weft.workers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The worker runtime alone: what a handler project that depends only on it gets. */
class RuntimeClasspathTest {

  @Test
  void shouldFindNoBuiltInTaskTypeWithoutTheMachineLearningModule() {
    // when
    var types = ServiceLoader.load(TaskHandler.class).stream().map(p -> p.get().taskType());

    // then
    assertThat(types).isEmpty();
  }

  @Test
  void shouldHaveNoDeepLearningEngineOnTheClasspath() {
    // then: neither DJL nor PyTorch's natives come with the runtime
    assertThatThrownBy(() -> Class.forName("ai.djl.Model"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("ai.djl.pytorch.engine.PtEngine"))
        .isInstanceOf(ClassNotFoundException.class);
  }
}
