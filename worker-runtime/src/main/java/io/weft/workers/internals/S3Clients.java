package io.weft.workers.internals;

import io.weft.workers.api.ArtifactException;
import io.weft.workers.api.S3Options;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds the synchronous S3 client the artifact store uses, on the JDK's HTTP client. */
public final class S3Clients {

  /**
   * The region signed with when an endpoint is given without one: what S3-compatible servers
   * expect.
   */
  static final String COMPATIBLE_REGION = "us-east-1";

  private S3Clients() {}

  /**
   * A client for {@code options}.
   *
   * <p>The SDK's own checksums are sent and checked only where S3 requires them: Weft checks every
   * artifact's SHA-256 end to end itself, and S3-compatible servers do not all accept the SDK's
   * newer checksum headers.
   *
   * @throws ArtifactException if the SDK finds no region
   */
  public static S3Client create(S3Options options) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60)))
            .forcePathStyle(options.pathStyleAccess())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (options.endpoint() != null) {
      builder.endpointOverride(options.endpoint());
    }
    if (options.region() != null) {
      builder.region(Region.of(options.region()));
    } else if (options.endpoint() != null) {
      builder.region(Region.of(COMPATIBLE_REGION));
    }
    if (options.accessKeyId() != null) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(
                  options.accessKeyId().value(), options.secretAccessKey().value())));
    }
    try {
      return builder.build();
    } catch (SdkClientException e) {
      throw new ArtifactException(
          "Cannot create the S3 client for artifacts: "
              + e.getMessage()
              + " (set artifact.s3.region, or AWS_REGION)",
          e);
    }
  }
}
