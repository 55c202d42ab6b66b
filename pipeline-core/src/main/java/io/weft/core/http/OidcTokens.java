package io.weft.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.weft.common.WeftException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.text.ParseException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens that are JWTs of an OpenID Connect issuer: signed by one of the issuer's keys (its
 * JWK set, fetched and cached, fetched again for a key it does not know yet, so that the issuer's
 * key rotation needs no restart), issued by exactly the configured issuer, for the configured
 * audience if one is, and not expired. The scopes come from the token's {@code scope} claim (a
 * space-separated string, or {@code scp}, a list): {@code read} and {@code write} are held through
 * two configured scope names, {@code weft:read} and {@code weft:write} by default.
 *
 * <p>The token authenticates as its subject ({@code sub}, else {@code azp} or {@code client_id}),
 * which is all that logs and answers show of it. A token that fails any check is not valid; why is
 * logged at DEBUG, without the token.
 */
public final class OidcTokens implements TokenVerifier {

  private static final Logger log = LoggerFactory.getLogger(OidcTokens.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern JWT_SHAPE = Pattern.compile("[\\w-]+\\.[\\w-]+\\.[\\w-]*");
  private static final Duration DISCOVERY_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA);

  private final DefaultJWTProcessor<SecurityContext> processor;
  private final String readScope;
  private final String writeScope;

  private OidcTokens(
      DefaultJWTProcessor<SecurityContext> processor, String readScope, String writeScope) {
    this.processor = processor;
    this.readScope = readScope;
    this.writeScope = writeScope;
  }

  /**
   * Tokens of {@code issuer}, verified with the keys at {@code jwksUrl}, or if that is null at the
   * {@code jwks_uri} of the issuer's discovery document ({@code
   * <issuer>/.well-known/openid-configuration}, read now).
   *
   * @param audience the audience a token must name in {@code aud}, or null for any
   * @throws WeftException if the discovery document cannot be read
   */
  public static OidcTokens of(
      String issuer, String jwksUrl, String audience, String readScope, String writeScope) {
    URL keys = toUrl(jwksUrl != null ? jwksUrl : discoverKeys(issuer), "the JWK set");
    JWKSource<SecurityContext> source = JWKSourceBuilder.create(keys).retrying(true).build();
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, source));
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            audience == null ? null : Set.of(audience),
            new JWTClaimsSet.Builder().issuer(issuer).build(),
            Set.of("exp"),
            null));
    return new OidcTokens(processor, readScope, writeScope);
  }

  @Override
  public Optional<Token> find(String presented) {
    if (!JWT_SHAPE.matcher(presented).matches()) {
      return Optional.empty(); // not a JWT: a token of the file, or nothing
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(presented, null);
    } catch (ParseException | BadJOSEException | JOSEException e) {
      log.debug("A bearer JWT was refused: {}", e.getMessage());
      return Optional.empty();
    }
    String subject = subject(claims);
    if (subject == null) {
      log.debug("A bearer JWT names no subject (sub, azp or client_id)");
      return Optional.empty();
    }
    Set<String> granted = scopes(claims);
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    if (granted.contains(readScope)) {
      scopes.add(Scope.READ);
    }
    if (granted.contains(writeScope)) {
      scopes.add(Scope.WRITE);
    }
    return Optional.of(new Token(subject, scopes));
  }

  private static String subject(JWTClaimsSet claims) {
    for (String claim : List.of("sub", "azp", "client_id")) {
      Object value = claims.getClaim(claim);
      if (value instanceof String text && !text.isBlank()) {
        return text;
      }
    }
    return null;
  }

  private static Set<String> scopes(JWTClaimsSet claims) {
    Set<String> scopes = new HashSet<>();
    Object scope = claims.getClaim("scope");
    if (scope instanceof String text) {
      scopes.addAll(List.of(text.trim().split("\\s+")));
    }
    Object scp = claims.getClaim("scp");
    if (scp instanceof List<?> list) {
      list.forEach(s -> scopes.add(String.valueOf(s)));
    } else if (scp instanceof String text) {
      scopes.addAll(List.of(text.trim().split("\\s+")));
    }
    return scopes;
  }

  private static String discoverKeys(String issuer) {
    String document =
        (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
            + "/.well-known/openid-configuration";
    try {
      URLConnection connection = toUrl(document, "the discovery document").openConnection();
      connection.setConnectTimeout((int) DISCOVERY_TIMEOUT.toMillis());
      connection.setReadTimeout((int) DISCOVERY_TIMEOUT.toMillis());
      JsonNode root;
      try (InputStream in = connection.getInputStream()) {
        root = JSON.readTree(in);
      }
      String jwks = root.path("jwks_uri").asText(null);
      if (jwks == null) {
        throw new WeftException("The OIDC discovery document " + document + " has no jwks_uri");
      }
      return jwks;
    } catch (IOException e) {
      throw new WeftException(
          "Cannot read the OIDC discovery document " + document + ": " + e.getMessage(), e);
    }
  }

  private static URL toUrl(String url, String what) {
    try {
      return URI.create(url).toURL();
    } catch (IllegalArgumentException | IOException e) {
      throw new WeftException("The URL of " + what + " is not valid: " + url, e);
    }
  }
}
