package io.weft.workers.internals;

import io.weft.workers.api.ArtifactException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 failures as {@link ArtifactException}s naming the artifact, the bucket and S3's error code.
 */
public final class S3Errors {

  private S3Errors() {}

  /**
   * An exception saying that {@code action} (e.g. "read") of the artifact at {@code location}
   * failed, why, and with which S3 error code and HTTP status.
   */
  public static ArtifactException of(String action, S3Location location, SdkException e) {
    return new ArtifactException(message(action, location, e), e);
  }

  static String message(String action, S3Location location, SdkException e) {
    String where =
        "Cannot "
            + action
            + " artifact "
            + location
            + " (bucket '"
            + location.bucket()
            + "', key '"
            + location.key()
            + "'): ";
    if (!(e instanceof S3Exception s3)) {
      return where + "no answer from S3: " + e.getMessage();
    }
    String code = code(s3);
    String why =
        switch (code) {
          case "NoSuchKey" -> "the object is missing";
          case "NoSuchBucket" -> "the bucket does not exist";
          case "AccessDenied" -> "access denied";
          case "InvalidAccessKeyId" -> "S3 does not know the access key id";
          case "SignatureDoesNotMatch" -> "the secret access key is wrong";
          default -> s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorMessage();
        };
    return where + why + " (S3 error " + code + ", HTTP " + s3.statusCode() + ")";
  }

  /** S3's error code; for an answer without a body (HEAD) the code its status implies. */
  static String code(S3Exception e) {
    AwsErrorDetails details = e.awsErrorDetails();
    String code = details == null ? null : details.errorCode();
    if (code != null && !code.isBlank()) {
      return code;
    }
    if (e instanceof NoSuchKeyException) {
      return "NoSuchKey";
    }
    if (e instanceof NoSuchBucketException) {
      return "NoSuchBucket";
    }
    return switch (e.statusCode()) {
      case 403 -> "AccessDenied";
      case 404 -> "NotFound";
      default -> "HTTP" + e.statusCode();
    };
  }

  /** Whether {@code e} says the object (not the bucket) does not exist. */
  public static boolean isMissingObject(SdkException e) {
    return e instanceof S3Exception s3 && "NoSuchKey".equals(code(s3));
  }
}
