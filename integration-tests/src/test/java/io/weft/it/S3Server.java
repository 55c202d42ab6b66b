package io.weft.it;

import static org.awaitility.Awaitility.await;

import io.weft.workers.api.ArtifactSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * A real S3 API server for end-to-end tests: S3Proxy on 127.0.0.1 and a free port, its blobs in a
 * directory (jclouds' file system store), with SigV4 credentials; {@link #settings()} are the
 * {@code artifact.s3.*} settings that reach it.
 */
final class S3Server implements AutoCloseable {

  private static final String ACCESS_KEY = "weft-it-access";
  private static final String SECRET_KEY = "weft-it-secret";

  private final S3Proxy proxy;
  private final BlobStoreContext context;

  private S3Server(S3Proxy proxy, BlobStoreContext context) {
    this.proxy = proxy;
    this.context = context;
  }

  /** Starts a server keeping its blobs under {@code dir}, with the buckets {@code buckets}. */
  static S3Server start(Path dir, String... buckets) throws Exception {
    Files.createDirectories(dir);
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
    BlobStoreContext context =
        ContextBuilder.newBuilder("filesystem").overrides(properties).build(BlobStoreContext.class);
    for (String bucket : buckets) {
      context.getBlobStore().createContainerInLocation(null, bucket);
    }
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "STARTED".equals(proxy.getState()) && proxy.getPort() > 0);
    return new S3Server(proxy, context);
  }

  /** The {@code artifact.s3.*} settings of a component that reaches this server. */
  Map<String, Object> settings() {
    return Map.of(
        ArtifactSettings.S3_ENDPOINT_CONFIG,
        "http://127.0.0.1:" + proxy.getPort(),
        ArtifactSettings.S3_PATH_STYLE_ACCESS_CONFIG,
        "true",
        ArtifactSettings.S3_ACCESS_KEY_ID_CONFIG,
        ACCESS_KEY,
        ArtifactSettings.S3_SECRET_ACCESS_KEY_CONFIG,
        SECRET_KEY);
  }

  /** The keys of every object in {@code bucket}, read behind the server's S3 API. */
  List<String> keys(String bucket) {
    return context.getBlobStore().list(bucket, ListContainerOptions.Builder.recursive()).stream()
        .filter(m -> m.getType() == org.jclouds.blobstore.domain.StorageType.BLOB)
        .map(StorageMetadata::getName)
        .toList();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
