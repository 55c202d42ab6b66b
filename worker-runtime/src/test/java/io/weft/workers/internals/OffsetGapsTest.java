package io.weft.workers.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class OffsetGapsTest {

  @Test
  void shouldEncodeNoFinishedOffsetAsEmptyMetadata() {
    // when
    String metadata = OffsetGaps.encode(7, new TreeSet<>());

    // then
    assertThat(metadata).isEmpty();
    assertThat(OffsetGaps.decode(7, metadata)).isEmpty();
    assertThat(OffsetGaps.decode(7, null)).isEmpty();
  }

  @Test
  void shouldDecodeTheFinishedOffsetsItEncoded() {
    // given
    TreeSet<Long> finished = new TreeSet<>(java.util.List.of(101L, 102L, 105L, 164L, 1_000L));

    // when
    String metadata = OffsetGaps.encode(100, finished);

    // then
    assertThat(metadata).startsWith("weft1:100:");
    assertThat(OffsetGaps.decode(100, metadata)).containsExactlyElementsOf(finished);
  }

  @Test
  void shouldFitTheWidestSpanInKafkasDefaultMetadataLimit() {
    // given: every offset of the widest span finished, above the largest committed offset
    long committed = Long.MAX_VALUE - OffsetGaps.MAX_SPAN - 1;
    TreeSet<Long> finished = new TreeSet<>();
    LongStream.rangeClosed(committed + 1, committed + OffsetGaps.MAX_SPAN).forEach(finished::add);

    // when
    String metadata = OffsetGaps.encode(committed, finished);

    // then
    assertThat(metadata.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(OffsetGaps.MAX_LENGTH)
        .isLessThanOrEqualTo(4096);
    assertThat(OffsetGaps.decode(committed, metadata)).containsExactlyElementsOf(finished);
  }

  @Test
  void shouldRefuseAnOffsetBeyondTheSpan() {
    // given
    TreeSet<Long> finished = new TreeSet<>(java.util.List.of(OffsetGaps.MAX_SPAN + 1L));

    // when / then
    assertThatThrownBy(() -> OffsetGaps.encode(0, finished))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must lie in (0, 24000]");
  }

  @Test
  void shouldIgnoreMetadataRecordedForAnotherOffset() {
    // given: an offset moved by someone else, its old metadata left beside it
    String metadata = OffsetGaps.encode(100, new TreeSet<>(java.util.List.of(102L)));

    // when / then
    assertThat(OffsetGaps.decode(50, metadata)).isEmpty();
  }

  @Test
  void shouldRefuseMetadataInAnotherFormat() {
    // when / then
    assertThatThrownBy(() -> OffsetGaps.decode(3, "someone else's"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Not Weft's offset metadata");
    assertThatThrownBy(() -> OffsetGaps.decode(3, "weft1:x:AA"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Malformed");
  }
}
