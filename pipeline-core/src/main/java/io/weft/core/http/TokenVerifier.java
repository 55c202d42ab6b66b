package io.weft.core.http;

import java.util.List;
import java.util.Optional;

/** What a bearer token presented to an HTTP server stands for, if anything. */
public interface TokenVerifier {

  /** The token {@code presented} authenticates as, or empty if it is not valid. */
  Optional<Token> find(String presented);

  /** The first of {@code verifiers} that accepts a token. */
  static TokenVerifier anyOf(List<TokenVerifier> verifiers) {
    List<TokenVerifier> all = List.copyOf(verifiers);
    return presented -> {
      for (TokenVerifier verifier : all) {
        Optional<Token> token = verifier.find(presented);
        if (token.isPresent()) {
          return token;
        }
      }
      return Optional.empty();
    };
  }
}
