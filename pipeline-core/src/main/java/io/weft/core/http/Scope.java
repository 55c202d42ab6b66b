package io.weft.core.http;

import java.util.Locale;

/**
 * What a bearer token may do on Weft's HTTP APIs. Neither implies the other: a token that should
 * both read runs and cancel them holds both.
 */
public enum Scope {
  /** Read: runs, counts, definitions, the UI's data, models' metadata, metrics. */
  READ,
  /** Act: cancel, retry, pause and resume runs, promote and roll back models, infer. */
  WRITE;

  /** The name in token files and messages: {@code read} or {@code write}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
