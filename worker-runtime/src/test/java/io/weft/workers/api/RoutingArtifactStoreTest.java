package io.weft.workers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.schemas.common.ArtifactRef;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A component's store writes at its location and reads references by their scheme. */
class RoutingArtifactStoreTest {

  private static final Path DIR =
      Path.of(System.getProperty("weft.test.dir", "target/weft-test"), "s3-routing");

  private static S3TestServer server;

  @TempDir Path local;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3TestServer.start(DIR.resolve("blobs-" + UUID.randomUUID()));
    server.createBucket("shared");
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Test
  void shouldReadAnS3ReferenceWhileWritingToALocalDirectory() throws Exception {
    // given: one component stores in S3, another writes to a local directory
    ArtifactRef inS3;
    try (RoutingArtifactStore s3 =
        RoutingArtifactStore.open(
            URI.create("s3://shared/runs"), server.options(), DIR.resolve("cache-writer"))) {
      inS3 = s3.put("run-1", "train", 1, "model.bin", bytes("weights"), "app/x");
    }

    try (RoutingArtifactStore files =
        RoutingArtifactStore.open(
            local.toUri(), server.options(), DIR.resolve("cache-" + UUID.randomUUID()))) {
      // when
      ArtifactRef onDisk = files.put("run-1", "eval", 1, "report.txt", bytes("ok"), "text/plain");

      // then: each read by its own scheme
      assertThat(files.writer()).isInstanceOf(LocalArtifactStore.class);
      assertThat(onDisk.getUri()).startsWith("file:/");
      assertThat(inS3.getUri()).isEqualTo("s3://shared/runs/run-1/train/1/model.bin");
      try (InputStream in = files.open(inS3)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("weights");
      }
      assertThat(files.fetch(onDisk)).hasContent("ok");
    }
  }

  @Test
  void shouldWriteToS3AndReadLocalReferences() throws Exception {
    // given
    ArtifactRef onDisk =
        new LocalArtifactStore(local).put("run-2", "prep", 1, "data", bytes("rows"), "app/x");

    try (RoutingArtifactStore s3 =
        RoutingArtifactStore.open(
            URI.create("s3://shared"),
            server.options(),
            DIR.resolve("cache-" + UUID.randomUUID()))) {
      // when
      ArtifactRef stored = s3.put("run-2", "train", 1, "model", bytes("w"), "app/x");

      // then
      assertThat(s3.writer()).isInstanceOf(S3ArtifactStore.class);
      assertThat(stored.getUri()).isEqualTo("s3://shared/run-2/train/1/model");
      assertThat(s3.fetch(onDisk)).hasContent("rows");
      assertThat(s3.latest("run-2", "train", "model"))
          .map(ArtifactRef::getUri)
          .contains(stored.getUri());
    }
  }

  @Test
  void shouldNameTheSchemeItCannotRead() {
    // given
    ArtifactRef ref = new ArtifactRef("gs://bucket/model.bin", "0".repeat(64), 1L, "app/x");

    try (RoutingArtifactStore files =
        RoutingArtifactStore.open(local.toUri(), S3Options.defaults(), local.resolve("cache"))) {
      // when / then
      assertThatThrownBy(() -> files.open(ref))
          .isInstanceOf(ArtifactException.class)
          .hasMessageContaining("gs://bucket/model.bin")
          .hasMessageContaining("scheme 'gs'")
          .hasMessageContaining("file, s3");
    }
  }

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
