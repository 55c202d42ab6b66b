package io.weft.workers.internals;

import io.weft.workers.api.ArtifactIntegrityException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Digests what it reads and, at the end of the stream, checks size and SHA-256 again: the file was
 * verified when opened, and this catches a change while it is being read.
 */
public final class VerifyingInputStream extends FilterInputStream {

  private final String uri;
  private final String expectedSha256;
  private final long expectedSize;
  private final MessageDigest digest = Sha256.digest();
  private long size;
  private boolean checked;

  public VerifyingInputStream(InputStream in, String uri, String expectedSha256, long size) {
    super(in);
    this.uri = uri;
    this.expectedSha256 = expectedSha256;
    this.expectedSize = size;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b == -1) {
      checkAtEnd();
    } else {
      digest.update((byte) b);
      size++;
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n == -1) {
      checkAtEnd();
    } else {
      digest.update(buffer, offset, n);
      size += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // read what is skipped, so that the digest covers every byte
    byte[] buffer = new byte[8192];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r == -1) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readLimit) {}

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  private void checkAtEnd() throws IOException {
    if (checked) {
      return;
    }
    checked = true;
    String actual = Sha256.hex(digest);
    if (size != expectedSize || !actual.equalsIgnoreCase(expectedSha256)) {
      ArtifactIntegrityException e =
          new ArtifactIntegrityException(uri, expectedSha256, actual, expectedSize, size);
      throw new IOException(e.getMessage(), e);
    }
  }
}
