package io.weft.workers.api;

import java.net.URI;
import org.apache.kafka.common.config.types.Password;

/**
 * How to reach S3 or an S3-compatible server for artifacts.
 *
 * @param endpoint the server's URL (e.g. {@code http://127.0.0.1:9000}), or null for AWS S3
 * @param region the signing region, or null: {@code us-east-1} with an endpoint, else the AWS SDK's
 *     default region chain ({@code AWS_REGION}, profile)
 * @param pathStyleAccess {@code http://host/bucket/key} instead of {@code http://bucket.host/key},
 *     which most S3-compatible servers need
 * @param accessKeyId the access key id, or null for the AWS SDK's default credentials chain
 *     (environment, system properties, profile, container or instance role)
 * @param secretAccessKey the secret access key: given exactly when {@code accessKeyId} is
 */
public record S3Options(
    URI endpoint,
    String region,
    boolean pathStyleAccess,
    Password accessKeyId,
    Password secretAccessKey) {

  public S3Options {
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException(
          "S3 credentials need both an access key id and a secret access key, or neither");
    }
  }

  /** AWS S3 with the SDK's default region and credentials chains. */
  public static S3Options defaults() {
    return new S3Options(null, null, false, null, null);
  }

  /** An S3-compatible server at {@code endpoint} with path-style access and static credentials. */
  public static S3Options compatible(URI endpoint, String accessKeyId, String secretAccessKey) {
    return new S3Options(
        endpoint, null, true, new Password(accessKeyId), new Password(secretAccessKey));
  }
}
