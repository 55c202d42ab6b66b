package io.weft.workers.api;

/** An artifact's bytes do not match its reference: another size or another SHA-256 digest. */
public class ArtifactIntegrityException extends ArtifactException {

  private static final long serialVersionUID = 1L;

  private final String uri;
  private final String expectedSha256;
  private final String actualSha256;

  public ArtifactIntegrityException(
      String uri, String expectedSha256, String actualSha256, long expectedSize, long actualSize) {
    super(
        "Artifact "
            + uri
            + " does not match its reference: expected sha256 "
            + expectedSha256
            + " ("
            + expectedSize
            + " bytes), actual sha256 "
            + actualSha256
            + " ("
            + actualSize
            + " bytes)");
    this.uri = uri;
    this.expectedSha256 = expectedSha256;
    this.actualSha256 = actualSha256;
  }

  public String uri() {
    return uri;
  }

  public String expectedSha256() {
    return expectedSha256;
  }

  public String actualSha256() {
    return actualSha256;
  }
}
