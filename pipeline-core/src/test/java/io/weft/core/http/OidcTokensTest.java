package io.weft.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.weft.common.WeftException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JWTs of an OIDC issuer as bearer tokens, against a real JWK set served over HTTP. */
class OidcTokensTest {

  private HttpServer server;
  private String issuer;
  private RSAKey key;
  private volatile JWKSet served;

  @BeforeEach
  void startIssuer() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    served = new JWKSet(key.toPublicJWK());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/weft";
    server.createContext(
        "/realms/weft/.well-known/openid-configuration",
        exchange ->
            answer(
                exchange, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/certs\"}"));
    server.createContext("/realms/weft/certs", exchange -> answer(exchange, served.toString(true)));
    server.start();
  }

  @AfterEach
  void stopIssuer() {
    server.stop(0);
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, String body)
      throws java.io.IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (exchange) {
      exchange.getResponseBody().write(bytes);
    }
  }

  private OidcTokens tokens(String audience) {
    return OidcTokens.of(issuer, null, audience, "weft:read", "weft:write");
  }

  private String sign(RSAKey signer, Consumer<JWTClaimsSet.Builder> claims) throws Exception {
    JWTClaimsSet.Builder builder =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject("ci-pipeline")
            .audience("weft")
            .expirationTime(Date.from(Instant.now().plusSeconds(300)))
            .claim("scope", "openid weft:read");
    claims.accept(builder);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(signer.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            builder.build());
    jwt.sign(new RSASSASigner(signer));
    return jwt.serialize();
  }

  @Test
  void shouldAcceptAnIssuersTokenAsItsSubjectWithTheScopesItHolds() throws Exception {
    // when
    Optional<Token> reader = tokens("weft").find(sign(key, c -> {}));
    Optional<Token> both =
        tokens(null).find(sign(key, c -> c.claim("scp", List.of("weft:read", "weft:write"))));

    // then
    assertThat(reader).contains(new Token("ci-pipeline", java.util.Set.of(Scope.READ)));
    assertThat(both)
        .map(Token::scopes)
        .hasValueSatisfying(s -> assertThat(s).containsExactlyInAnyOrder(Scope.READ, Scope.WRITE));
  }

  @Test
  void shouldRefuseATokenThatFailsAnyCheck() throws Exception {
    // given
    OidcTokens tokens = tokens("weft");
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();

    // then
    assertThat(tokens.find(sign(key, c -> c.issuer("http://elsewhere/realms/weft")))).isEmpty();
    assertThat(tokens.find(sign(key, c -> c.audience("other")))).isEmpty();
    assertThat(
            tokens.find(
                sign(key, c -> c.expirationTime(Date.from(Instant.now().minusSeconds(600))))))
        .isEmpty();
    assertThat(tokens.find(sign(key, c -> c.expirationTime(null)))).isEmpty();
    assertThat(tokens.find(sign(stranger, c -> {}))).isEmpty();
    assertThat(
            tokens.find(
                new PlainJWT(
                        new JWTClaimsSet.Builder()
                            .issuer(issuer)
                            .subject("x")
                            .audience("weft")
                            .expirationTime(Date.from(Instant.now().plusSeconds(60)))
                            .build())
                    .serialize()))
        .isEmpty();
    assertThat(tokens.find("not-a-jwt-0123456789")).isEmpty();
  }

  @Test
  void shouldFetchTheIssuersKeysAgainForAKeyItDoesNotKnowYet() throws Exception {
    // given: a verifier that has fetched the first key
    OidcTokens tokens = tokens("weft");
    assertThat(tokens.find(sign(key, c -> {}))).isPresent();

    // when: the issuer rotates to a new key
    RSAKey rotated = new RSAKeyGenerator(2048).keyID("k2").generate();
    served = new JWKSet(List.of(key.toPublicJWK(), rotated.toPublicJWK()));

    // then
    assertThat(tokens.find(sign(rotated, c -> {}))).isPresent();
  }

  @Test
  void shouldNameAnIssuerWhoseDiscoveryDocumentCannotBeRead() {
    assertThatThrownBy(
            () -> OidcTokens.of(issuer.replace("/realms/weft", "/nowhere"), null, null, "r", "w"))
        .isInstanceOf(WeftException.class)
        .hasMessageContaining("/nowhere/.well-known/openid-configuration");
  }

  @Test
  void shouldLetABearerAuthAcceptFileTokensAndJwtsAlike() throws Exception {
    // given
    BearerAuth auth =
        new BearerAuth(
            TokenVerifier.anyOf(List.of(presented -> Optional.empty(), tokens("weft"))),
            (method, path) -> Optional.of(method.equals("GET") ? Scope.READ : Scope.WRITE));
    String jwt = sign(key, c -> {});

    // then: a reader's JWT reads, and is forbidden to write naming its subject
    assertThat(auth.check("GET", "/runs", List.of("Bearer " + jwt)).isAllowed()).isTrue();
    Verdict write = auth.check("POST", "/ui/api/runs/r/cancel", List.of("Bearer " + jwt));
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.message()).contains("'ci-pipeline'").doesNotContain(jwt);
    assertThat(auth.check("GET", "/runs", List.of("Bearer " + jwt + "x")).status()).isEqualTo(401);
  }
}
