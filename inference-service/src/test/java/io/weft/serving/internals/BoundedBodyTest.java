package io.weft.serving.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

  private static final int LIMIT = 8 * 1024 * 1024;

  @Test
  void shouldNotAllocateWhatAHeadAnnouncesBeforeTheBytesArrive() {
    // a head announcing the largest body, and no body yet
    BoundedBody body = new BoundedBody(LIMIT, LIMIT);

    assertThat(body.capacity()).isLessThanOrEqualTo(BoundedBody.FIRST_ALLOCATION);

    // and it grows as the bytes do
    byte[] chunk = new byte[100_000];
    chunk[99_999] = 7;
    body.add(ByteBuffer.wrap(chunk));
    assertThat(body.bytes()).hasSize(100_000).endsWith(7);
  }

  @Test
  void shouldGrowToTheAnnouncedLengthAndNoFurther() {
    // given: a body announced at 100,000 bytes, over the first allocation
    BoundedBody body = new BoundedBody(100_000, LIMIT);

    // when: it arrives in parts of 8 KiB
    for (int sent = 0; sent < 100_000; sent += 8192) {
      byte[] part = new byte[Math.min(8192, 100_000 - sent)];
      part[part.length - 1] = (byte) (sent / 8192);
      body.add(ByteBuffer.wrap(part));
    }

    // then: the body was read into an array of its length, which is the body itself
    assertThat(body.capacity()).isEqualTo(100_000);
    assertThat(body.bytes()).hasSize(100_000).endsWith(12).isSameAs(body.bytes());
  }

  @Test
  void shouldGrowAsItComesWhenNoLengthIsAnnounced() {
    // a chunked body: it doubles as it comes
    BoundedBody body = new BoundedBody(-1, LIMIT);
    body.add(ByteBuffer.wrap(new byte[70_000]));
    body.add(ByteBuffer.wrap(new byte[70_000]));

    assertThat(body.bytes()).hasSize(140_000);
  }

  @Test
  void shouldRefuseBytesPastTheLimit() {
    BoundedBody body = new BoundedBody(-1, 10);
    body.add(ByteBuffer.wrap(new byte[10]));

    assertThatThrownBy(() -> body.add(ByteBuffer.wrap(new byte[1])))
        .isInstanceOf(HttpProblem.class)
        .satisfies(e -> assertThat(((HttpProblem) e).status()).isEqualTo(413));
  }
}
