package io.weft.core.http;

import java.util.Set;

/**
 * Who a request authenticated as: the name of its token in the token file (never the token itself)
 * and the scopes the token holds.
 */
public record Token(String name, Set<Scope> scopes) {

  public Token {
    scopes = Set.copyOf(scopes);
  }

  /** Whether the token holds {@code scope}. */
  public boolean allows(Scope scope) {
    return scopes.contains(scope);
  }
}
