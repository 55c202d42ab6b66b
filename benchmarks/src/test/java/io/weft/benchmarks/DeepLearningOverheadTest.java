package io.weft.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeepLearningOverheadTest {

  @TempDir Path dir;

  @AfterEach
  void clearProperty() {
    System.clearProperty(MnistArtifacts.DIR_PROPERTY);
  }

  @Test
  void shouldTakeTheMiddleRunAsMedianOfAnOddCountAndTheMeanOfTheMiddleTwoOfAnEvenOne() {
    // when / then
    assertThat(DeepLearningOverhead.median(List.of(30L, 10L, 20L))).isEqualTo(20.0);
    assertThat(DeepLearningOverhead.median(List.of(40L, 10L, 30L, 20L))).isEqualTo(25.0);
    assertThat(DeepLearningOverhead.median(List.of(7L))).isEqualTo(7.0);
  }

  @Test
  void shouldFindTheShippedDigitsAboveTheWorkingDirectory() {
    // when
    Path found = MnistArtifacts.directory();

    // then
    assertThat(found.resolve(MnistArtifacts.IMAGES)).isRegularFile();
    assertThat(found.resolve(MnistArtifacts.LABELS)).isRegularFile();
  }

  @Test
  void shouldNameThePropertyAndDirectoryWhenTheConfiguredDirectoryHasNoDigits() {
    // given
    System.setProperty(MnistArtifacts.DIR_PROPERTY, dir.toString());

    // when / then
    assertThatThrownBy(MnistArtifacts::directory)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(MnistArtifacts.DIR_PROPERTY)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining(MnistArtifacts.IMAGES);
  }
}
