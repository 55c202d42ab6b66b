package io.weft.core.api;

import io.weft.common.WeftException;

/**
 * The coordinator's query API refused the client's request: 401 (no valid bearer token) or 403 (the
 * token lacks the scope). Asking again would not help, so waits end with it at once.
 */
public final class QueryAccessException extends WeftException {

  private static final long serialVersionUID = 1L;

  private final int status;

  public QueryAccessException(String url, int status, String answer) {
    super(
        "The coordinator's query API at "
            + url
            + " refused the request ("
            + status
            + (status == 401 ? ", no valid token" : ", the token lacks the scope")
            + "): "
            + answer
            + (status == 401
                ? "; set weft.query.token or weft.query.token.file (WEFT_QUERY_TOKEN or"
                    + " --query-token-file for the CLI)"
                : ""));
    this.status = status;
  }

  /** 401 or 403. */
  public int status() {
    return status;
  }
}
