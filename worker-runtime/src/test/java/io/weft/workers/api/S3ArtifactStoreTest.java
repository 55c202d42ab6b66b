package io.weft.workers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.schemas.common.ArtifactRef;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The S3 artifact store against a real S3 API server (S3Proxy) on a free loopback port. */
class S3ArtifactStoreTest {

  private static final Path DIR =
      Path.of(System.getProperty("weft.test.dir", "target/weft-test"), "s3-artifacts");

  private static S3TestServer server;

  private String bucket;
  private Path cache;
  private S3ArtifactStore store;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3TestServer.start(DIR.resolve("blobs-" + UUID.randomUUID()));
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void createBucket() {
    bucket = "weft-" + UUID.randomUUID().toString().substring(0, 8);
    server.createBucket(bucket);
    cache = DIR.resolve("cache-" + UUID.randomUUID());
    store = S3ArtifactStore.create(URI.create("s3://" + bucket + "/runs"), server.options(), cache);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void shouldStoreUnderRunTaskAttemptAndReadBackVerified() throws Exception {
    // when
    ArtifactRef ref = store.put("run-1", "train[3]", 2, "model.bin", bytes("weights"), "app/x");

    // then: one object under prefix/run/task/attempt/name, its URI encoded where URIs need it
    String key = "runs/run-1/train[3]/2/model.bin";
    assertThat(ref.getUri()).isEqualTo("s3://" + bucket + "/runs/run-1/train%5B3%5D/2/model.bin");
    assertThat(ref.getSha256()).isEqualTo(sha256("weights"));
    assertThat(ref.getSize()).isEqualTo(7);
    assertThat(ref.getMediaType()).isEqualTo("app/x");
    HeadObjectResponse head = server.client().headObject(b -> b.bucket(bucket).key(key));
    assertThat(head.contentLength()).isEqualTo(7);
    assertThat(head.contentType()).isEqualTo("app/x");
    assertThat(head.metadata()).containsEntry("sha256", sha256("weights"));

    // and read back, by a store with a cache of its own (another process)
    try (S3ArtifactStore reader = otherStore()) {
      assertThat(reader.fetch(ref)).hasContent("weights");
      try (InputStream in = reader.open(ref)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("weights");
      }
    }
  }

  @Test
  void shouldReplaceTheSameNameOfTheSameAttempt() throws Exception {
    // given
    store.put("run-1", "train", 1, "model.bin", bytes("first"), "app/x");

    // when
    ArtifactRef second = store.put("run-1", "train", 1, "model.bin", bytes("second"), "app/x");

    // then
    try (S3ArtifactStore reader = otherStore()) {
      assertThat(reader.fetch(second)).hasContent("second");
    }
  }

  @Test
  void shouldReuseAValidCachedCopyAndReplaceAChangedOne() throws Exception {
    // given
    ArtifactRef ref = store.put("run-1", "prep", 1, "data.bin", bytes("dataset"), "app/x");
    try (S3ArtifactStore reader = otherStore()) {
      Path first = reader.fetch(ref);
      java.nio.file.Files.writeString(first, "tampered");

      // when
      Path second = reader.fetch(ref);

      // then: the changed copy was noticed and downloaded again
      assertThat(second).isEqualTo(first).hasContent("dataset");
    }
  }

  @Test
  void shouldFindTheLatestAttemptThatStoredTheName() throws Exception {
    // given
    store.put("run-1", "train", 1, "checkpoint", bytes("epoch 1"), "app/x");
    store.put("run-1", "train", 3, "checkpoint", bytes("epoch 3"), "app/x");
    store.put("run-1", "train", 4, "other", bytes("not it"), "app/x");
    store.put("run-1", "train-2", 9, "checkpoint", bytes("another task"), "app/x");

    // when
    Optional<ArtifactRef> latest = store.latest("run-1", "train", "checkpoint");

    // then
    assertThat(latest).isPresent();
    assertThat(latest.get().getUri())
        .isEqualTo("s3://" + bucket + "/runs/run-1/train/3/checkpoint");
    assertThat(latest.get().getSha256()).isEqualTo(sha256("epoch 3"));
    assertThat(latest.get().getSize()).isEqualTo(7);
    try (InputStream in = store.open(latest.get())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("epoch 3");
    }
    assertThat(store.latest("run-1", "evaluate", "checkpoint")).isEmpty();
  }

  @Test
  void shouldDetectAnObjectChangedBehindTheStoresBack() throws Exception {
    // given
    ArtifactRef ref = store.put("run-1", "train", 1, "model.bin", bytes("weights"), "app/x");
    server
        .client()
        .putObject(
            b -> b.bucket(bucket).key("runs/run-1/train/1/model.bin"),
            RequestBody.fromString("WEIGHTS"));

    // when / then
    try (S3ArtifactStore reader = otherStore()) {
      assertThatThrownBy(() -> reader.fetch(ref))
          .isInstanceOf(ArtifactIntegrityException.class)
          .hasMessageContaining(ref.getUri())
          .hasMessageContaining("expected sha256 " + sha256("weights"))
          .hasMessageContaining("actual sha256 " + sha256("WEIGHTS"));
      assertThatThrownBy(() -> reader.open(ref).close())
          .isInstanceOf(ArtifactIntegrityException.class);
    }
  }

  @Test
  void shouldNameTheUriBucketAndErrorCodeOfAMissingObject() {
    // given
    ArtifactRef missing =
        new ArtifactRef(
            "s3://" + bucket + "/runs/run-1/train/1/gone.bin", "0".repeat(64), 3L, "app/x");

    // when / then
    assertThatThrownBy(() -> store.fetch(missing))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining(missing.getUri())
        .hasMessageContaining("bucket '" + bucket + "'")
        .hasMessageContaining("key 'runs/run-1/train/1/gone.bin'")
        .hasMessageContaining("S3 error NoSuchKey");
  }

  @Test
  void shouldNameAMissingBucket() {
    // given
    try (S3ArtifactStore nowhere =
        S3ArtifactStore.create(URI.create("s3://no-such-bucket/x"), server.options(), cache)) {

      // when / then: a request without a body, so that S3 answers before reading any
      assertThatThrownBy(() -> nowhere.latest("run-1", "t", "a.bin"))
          .isInstanceOf(ArtifactException.class)
          .hasMessageContaining("s3://no-such-bucket/x/run-1/t/")
          .hasMessageContaining("bucket 'no-such-bucket'")
          .hasMessageContaining("S3 error NoSuchBucket");
    }
  }

  @Test
  void shouldNameTheErrorCodeOfWrongCredentials() {
    // given
    S3Options wrong = S3Options.compatible(server.endpoint(), S3TestServer.ACCESS_KEY, "wrong");
    try (S3ArtifactStore denied =
        S3ArtifactStore.create(URI.create("s3://" + bucket), wrong, cache)) {

      // when / then: a request without a body; S3 may refuse an upload's signature before
      // reading its body and close the connection, which the client sees as a write error
      assertThatThrownBy(() -> denied.latest("run-1", "t", "a.bin"))
          .isInstanceOf(ArtifactException.class)
          .hasMessageContaining("s3://" + bucket + "/run-1/t/")
          .hasMessageContaining("bucket '" + bucket + "'")
          .hasMessageContaining("S3 error SignatureDoesNotMatch");
    }
  }

  @Test
  void shouldRefuseUnsafeNamesAndLocationsWithoutABucket() {
    // when / then
    assertThatThrownBy(() -> store.put("run-1", "..", 1, "a.bin", bytes("a"), "app/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taskId");
    assertThatThrownBy(() -> store.put("run-1", "t", 1, ".hidden", bytes("a"), "app/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("artifact name");
    assertThatThrownBy(
            () -> S3ArtifactStore.create(URI.create("s3:///prefix"), server.options(), cache))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3://bucket[/prefix]");
  }

  private S3ArtifactStore otherStore() {
    return S3ArtifactStore.create(
        URI.create("s3://" + bucket + "/runs"),
        server.options(),
        DIR.resolve("cache-" + UUID.randomUUID()));
  }

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
