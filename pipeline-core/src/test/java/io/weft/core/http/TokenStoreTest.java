package io.weft.core.http;

import static io.weft.core.http.TokenFileTest.READER;
import static io.weft.core.http.TokenFileTest.WRITER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.weft.core.testing.ManualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {

  private static final Duration INTERVAL = Duration.ofSeconds(1);

  @TempDir Path dir;

  private final ManualTime time = new ManualTime();

  /** Replaces {@code file} as an operator should: a new file renamed over the old one. */
  private void replace(Path file, String content) throws IOException {
    Path next = dir.resolve("next");
    Files.writeString(next, content);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void shouldTakeARotatedTokenOnceTheFileChanges() throws Exception {
    // given: a store on the real clock, as a server has it
    Path file = dir.resolve("tokens");
    Files.writeString(file, "ci read " + READER + "\n");
    TokenStore store = TokenStore.open(file);
    assertThat(store.find(READER)).isPresent();

    // when: the token is rotated
    replace(file, "ci read " + WRITER + "\n");

    // then: within the check interval the new one is in, the old one out
    await().atMost(Duration.ofSeconds(10)).until(() -> store.find(WRITER).isPresent());
    assertThat(store.find(READER)).isEmpty();
  }

  @Test
  void shouldCheckTheFileAtMostOncePerInterval() throws Exception {
    // given
    Path file = dir.resolve("tokens");
    Files.writeString(file, "ci read " + READER + "\n");
    TokenStore store = TokenStore.open(file, time, INTERVAL);

    // when
    replace(file, "ci read " + WRITER + "\n");

    // then
    assertThat(store.find(WRITER)).as("before the interval").isEmpty();
    time.advance(INTERVAL);
    assertThat(store.find(WRITER)).isPresent();
    assertThat(store.find(READER)).isEmpty();
  }

  @Test
  void shouldKeepTheTokensItHasWhileTheFileIsInvalidOrGone() throws Exception {
    // given
    Path file = dir.resolve("tokens");
    Files.writeString(file, "ci read " + READER + "\n");
    TokenStore store = TokenStore.open(file, time, INTERVAL);

    // when: a broken version, then none
    replace(file, "ci read\n");
    time.advance(INTERVAL);
    boolean keptWhileInvalid = store.find(READER).isPresent();
    Files.delete(file);
    time.advance(INTERVAL);
    boolean keptWhileGone = store.find(READER).isPresent();
    replace(file, "ci read " + WRITER + "\n");
    time.advance(INTERVAL);

    // then
    assertThat(keptWhileInvalid).isTrue();
    assertThat(keptWhileGone).isTrue();
    assertThat(store.find(WRITER)).as("a fixed file is read").isPresent();
    assertThat(store.find(READER)).isEmpty();
  }

  @Test
  void shouldRefuseToStartOnAnInvalidFile() throws Exception {
    // given
    Path file = dir.resolve("tokens");
    Files.writeString(file, "ci read\n");

    // when / then
    assertThatThrownBy(() -> TokenStore.open(file))
        .isInstanceOf(TokenFileException.class)
        .hasMessageContaining("line 1:");
  }
}
