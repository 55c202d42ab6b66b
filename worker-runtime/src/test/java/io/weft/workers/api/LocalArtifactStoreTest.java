package io.weft.workers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.schemas.common.ArtifactRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactStoreTest {

  @TempDir Path root;

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void shouldStoreUnderRunTaskAttemptAndReadBackVerified() throws Exception {
    // given
    LocalArtifactStore store = new LocalArtifactStore(root);

    // when
    ArtifactRef ref = store.put("run-1", "train[3]", 2, "model.bin", bytes("weights"), "app/x");

    // then
    Path expected = root.resolve("run-1").resolve("train[3]").resolve("2").resolve("model.bin");
    assertThat(ref.getUri()).startsWith("file:/").isEqualTo(expected.toUri().toString());
    assertThat(Path.of(URI.create(ref.getUri()))).isEqualTo(expected);
    assertThat(ref.getSha256()).isEqualTo(sha256("weights"));
    assertThat(ref.getSize()).isEqualTo(7);
    assertThat(ref.getMediaType()).isEqualTo("app/x");
    assertThat(store.fetch(ref)).isEqualTo(expected).hasContent("weights");
    try (InputStream in = store.open(ref)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("weights");
    }
    try (var files = Files.list(expected.getParent())) {
      assertThat(files).containsExactly(expected); // no temporary file left behind
    }
  }

  @Test
  void shouldStoreAFileAndReplaceTheSameNameAtomically() throws Exception {
    // given
    LocalArtifactStore store = new LocalArtifactStore(root);
    Path source = Files.writeString(root.resolve("source.txt"), "second");
    store.put("run-1", "prep", 1, "data.txt", bytes("first"), "text/plain");

    // when
    ArtifactRef ref = store.put("run-1", "prep", 1, "data.txt", source, "text/plain");

    // then
    assertThat(store.fetch(ref)).hasContent("second");
    assertThat(ref.getSha256()).isEqualTo(sha256("second"));
  }

  @Test
  void shouldDetectATamperedFileNamingUriAndBothDigests() throws Exception {
    // given
    LocalArtifactStore store = new LocalArtifactStore(root);
    ArtifactRef ref = store.put("run-1", "train", 1, "model.bin", bytes("weights"), "app/x");
    Files.writeString(Path.of(URI.create(ref.getUri())), "WEIGHTS");

    // when / then
    assertThatThrownBy(() -> store.fetch(ref))
        .isInstanceOf(ArtifactIntegrityException.class)
        .hasMessageContaining(ref.getUri())
        .hasMessageContaining("expected sha256 " + sha256("weights"))
        .hasMessageContaining("actual sha256 " + sha256("WEIGHTS"));
    assertThatThrownBy(() -> store.open(ref)).isInstanceOf(ArtifactIntegrityException.class);
  }

  @Test
  void shouldDetectAFileChangedWhileBeingRead() throws Exception {
    // given
    LocalArtifactStore store = new LocalArtifactStore(root);
    ArtifactRef ref = store.put("run-1", "train", 1, "model.bin", bytes("weights"), "app/x");
    InputStream in = store.open(ref);
    Files.writeString(Path.of(URI.create(ref.getUri())), "WEIGHTS");

    // when / then
    try (in) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("does not match");
    }
  }

  @Test
  void shouldNameTheUriOfAMissingArtifact() throws Exception {
    // given
    LocalArtifactStore store = new LocalArtifactStore(root);
    ArtifactRef ref = store.put("run-1", "train", 1, "model.bin", bytes("weights"), "app/x");
    Files.delete(Path.of(URI.create(ref.getUri())));

    // when / then
    assertThatThrownBy(() -> store.fetch(ref))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining(ref.getUri())
        .hasMessageContaining("missing")
        .hasMessageContaining(sha256("weights"));
  }

  @Test
  void shouldRefuseOtherUriSchemes() {
    // given
    LocalArtifactStore store = new LocalArtifactStore(root);
    ArtifactRef ref = new ArtifactRef("s3://bucket/key", "00", 1L, "app/x");

    // when / then
    assertThatThrownBy(() -> store.fetch(ref))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("s3://bucket/key")
        .hasMessageContaining("only file:");
  }

  @Test
  void shouldRejectPathTraversalInNamesAndIds() {
    // given
    LocalArtifactStore store = new LocalArtifactStore(root);

    // when / then
    assertThatThrownBy(() -> store.put("run-1", "t", 1, "../../etc/passwd", bytes("x"), "a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("path traversal");
    assertThatThrownBy(() -> store.put("run-1", "t", 1, "..", bytes("x"), "a/b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.put("..", "t", 1, "ok.bin", bytes("x"), "a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("runId");
    assertThatThrownBy(() -> store.put("run-1", "a\\b", 1, "ok.bin", bytes("x"), "a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taskId");
    assertThatThrownBy(() -> store.put("run-1", "t", 1, ".hidden", bytes("x"), "a/b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void shouldFindTheLatestAttemptsArtifactOfATask() throws Exception {
    // given
    LocalArtifactStore store = new LocalArtifactStore(root);
    store.put("run-1", "train", 1, "checkpoint", bytes("epoch 2"), "app/x");
    store.put("run-1", "train", 2, "checkpoint", bytes("epoch 3"), "app/x");
    store.put("run-1", "train", 10, "other", bytes("x"), "app/x");
    store.put("run-1", "evaluate", 11, "checkpoint", bytes("not this task"), "app/x");

    // when
    ArtifactRef latest = store.latest("run-1", "train", "checkpoint").orElseThrow();

    // then
    assertThat(latest.getSha256()).isEqualTo(sha256("epoch 3"));
    try (InputStream in = store.open(latest)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("epoch 3");
    }
    assertThat(store.latest("run-1", "train", "missing")).isEmpty();
    assertThat(store.latest("run-2", "train", "checkpoint")).isEmpty();
  }
}
