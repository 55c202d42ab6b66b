package io.weft.workers.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The artifact settings every component that reads or writes artifacts shares (workers, the
 * inference service): the S3 client's ({@code artifact.s3.*}) and the local cache's. Each component
 * adds its own location keys ({@code worker.artifact.uri}, {@code serve.artifact.uri}) with {@link
 * #locationValidator()}.
 */
public final class ArtifactSettings {

  public static final String CACHE_DIR_CONFIG = "artifact.cache.dir";
  public static final String S3_ENDPOINT_CONFIG = "artifact.s3.endpoint";
  public static final String S3_REGION_CONFIG = "artifact.s3.region";
  public static final String S3_PATH_STYLE_ACCESS_CONFIG = "artifact.s3.path.style.access";
  public static final String S3_ACCESS_KEY_ID_CONFIG = "artifact.s3.access.key.id";
  public static final String S3_SECRET_ACCESS_KEY_CONFIG = "artifact.s3.secret.access.key";

  private ArtifactSettings() {}

  /** Adds the shared artifact settings to {@code definition}. */
  public static ConfigDef define(ConfigDef definition) {
    return definition
        .define(
            CACHE_DIR_CONFIG,
            Type.STRING,
            "weft-data/artifact-cache",
            new ConfigDef.NonEmptyString(),
            Importance.LOW,
            "Directory for local copies of artifacts read from S3 (one file per SHA-256, checked"
                + " before every reuse) and for uploads being written. Nothing prunes it: give it"
                + " room for the artifacts this process reads, or clear it while the process is"
                + " stopped.")
        .define(
            S3_ENDPOINT_CONFIG,
            Type.STRING,
            null,
            ArtifactSettings::endpoint,
            Importance.MEDIUM,
            "URL of an S3-compatible server (e.g. http://127.0.0.1:9000); unset for AWS S3.")
        .define(
            S3_REGION_CONFIG,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "Region of the S3 bucket. Unset: us-east-1 when artifact.s3.endpoint is set, else"
                + " the AWS SDK's region chain (AWS_REGION, the profile).")
        .define(
            S3_PATH_STYLE_ACCESS_CONFIG,
            Type.BOOLEAN,
            false,
            Importance.LOW,
            "Address buckets in the path (http://host/bucket/key) rather than the host name"
                + " (http://bucket.host/key); most S3-compatible servers need true.")
        .define(
            S3_ACCESS_KEY_ID_CONFIG,
            Type.PASSWORD,
            null,
            Importance.MEDIUM,
            "Access key id for S3, with artifact.s3.secret.access.key. Unset: the AWS SDK's"
                + " default credentials chain (environment, system properties, profile,"
                + " container or instance role).")
        .define(
            S3_SECRET_ACCESS_KEY_CONFIG,
            Type.PASSWORD,
            null,
            Importance.MEDIUM,
            "Secret access key for S3, with artifact.s3.access.key.id.");
  }

  /**
   * The validator of a location key: unset, {@code file:///absolute/path} or {@code
   * s3://bucket[/prefix]}.
   */
  public static ConfigDef.Validator locationValidator() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        if (value != null) {
          location(name, value.toString());
        }
      }

      @Override
      public String toString() {
        return "file:///path or s3://bucket[/prefix]";
      }
    };
  }

  /**
   * Where artifacts are written: the URI under {@code uriKey} if set, else the directory under
   * {@code dirKey}.
   */
  public static URI location(AbstractConfig config, String uriKey, String dirKey) {
    String uri = config.getString(uriKey);
    return uri != null
        ? location(uriKey, uri)
        : Path.of(config.getString(dirKey)).toAbsolutePath().normalize().toUri();
  }

  /**
   * The S3 options of {@code config}.
   *
   * @throws ConfigException if only one of the access key id and the secret access key is set
   */
  public static S3Options s3Options(AbstractConfig config) {
    Password id = config.getPassword(S3_ACCESS_KEY_ID_CONFIG);
    Password secret = config.getPassword(S3_SECRET_ACCESS_KEY_CONFIG);
    if ((id == null) != (secret == null)) {
      String missing = id == null ? S3_ACCESS_KEY_ID_CONFIG : S3_SECRET_ACCESS_KEY_CONFIG;
      throw new ConfigException(
          missing,
          null,
          "must be set with "
              + (id == null ? S3_SECRET_ACCESS_KEY_CONFIG : S3_ACCESS_KEY_ID_CONFIG)
              + ", or neither (for the AWS SDK's credentials chain)");
    }
    String endpoint = config.getString(S3_ENDPOINT_CONFIG);
    return new S3Options(
        endpoint == null ? null : URI.create(endpoint),
        config.getString(S3_REGION_CONFIG),
        config.getBoolean(S3_PATH_STYLE_ACCESS_CONFIG),
        id,
        secret);
  }

  public static Path cacheDir(AbstractConfig config) {
    return Path.of(config.getString(CACHE_DIR_CONFIG));
  }

  /**
   * The store {@code config} describes: writing at {@link #location}, reading file: and s3:
   * references.
   */
  public static RoutingArtifactStore open(AbstractConfig config, String uriKey, String dirKey) {
    return RoutingArtifactStore.open(
        location(config, uriKey, dirKey), s3Options(config), cacheDir(config));
  }

  private static URI location(String name, String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException(name, value, "is not a URI: " + e.getMessage());
    }
    String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
    try {
      switch (scheme) {
        case "file" -> Path.of(uri);
        case "s3" -> S3ArtifactStore.root(uri);
        default ->
            throw new ConfigException(
                name, value, "must be a file: or s3: URI (file:///path or s3://bucket/prefix)");
      }
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new ConfigException(name, value, e.getMessage());
    }
    return uri;
  }

  private static void endpoint(String name, Object value) {
    if (value == null) {
      return;
    }
    try {
      URI uri = new URI(value.toString());
      String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new ConfigException(name, value, "must be an http:// or https:// URL with a host");
  }
}
