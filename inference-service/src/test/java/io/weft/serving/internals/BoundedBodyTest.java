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
  void shouldRefuseBytesPastTheLimit() {
    BoundedBody body = new BoundedBody(-1, 10);
    body.add(ByteBuffer.wrap(new byte[10]));

    assertThatThrownBy(() -> body.add(ByteBuffer.wrap(new byte[1])))
        .isInstanceOf(HttpProblem.class)
        .satisfies(e -> assertThat(((HttpProblem) e).status()).isEqualTo(413));
  }
}
