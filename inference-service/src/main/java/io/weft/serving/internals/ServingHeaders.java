package io.weft.serving.internals;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * The headers the {@link NettyHttpServer}'s codec reads a request's into: Netty's own, validated as
 * usual, that refuse a line past the {@value HeadLimits#READ_MAX_HEADERS}th, so that a head of many
 * short lines is refused (431) without holding them all.
 */
final class ServingHeaders implements HttpHeadersFactory {

  @Override
  public HttpHeaders newHeaders() {
    return new Counted();
  }

  @Override
  public HttpHeaders newEmptyHeaders() {
    return DefaultHttpHeadersFactory.headersFactory().newEmptyHeaders();
  }

  /** Headers that count the lines added. */
  private static final class Counted extends DefaultHttpHeaders {
    private int lines;

    @Override
    public HttpHeaders add(String name, Object value) {
      count();
      return super.add(name, value);
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
      count();
      return super.add(name, value);
    }

    private void count() {
      if (++lines > HeadLimits.READ_MAX_HEADERS) {
        throw new TooManyHeaders();
      }
    }
  }

  /** More header lines than {@link HeadLimits#READ_MAX_HEADERS}. */
  static final class TooManyHeaders extends TooLongFrameException {
    private static final long serialVersionUID = 1L;

    TooManyHeaders() {
      super("more than " + HeadLimits.READ_MAX_HEADERS + " header lines");
    }
  }
}
