package io.weft.core.http;

import static io.weft.core.http.TokenFileTest.READER;
import static io.weft.core.http.TokenFileTest.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decisions of {@link BearerAuth}, without a server. */
class BearerAuthTest {

  private static final String BOTH = "both-token-0123456789";

  @TempDir Path dir;

  private BearerAuth auth;

  @BeforeEach
  void tokens() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(
        file,
        "reader read " + READER + "\nwriter write " + WRITER + "\nboth read,write " + BOTH + "\n");
    AccessRule rule =
        (method, path) ->
            path.equals("/health")
                ? Optional.empty()
                : Optional.of(method.equals("POST") ? Scope.WRITE : Scope.READ);
    auth = new BearerAuth(TokenStore.open(file), rule);
  }

  @Test
  void shouldLetAnyoneReachAnOpenPath() {
    // when
    Verdict verdict = auth.check("GET", "/health", null);

    // then
    assertThat(verdict.isAllowed()).isTrue();
    assertThat(verdict.token()).isNull();
  }

  @Test
  void shouldAskForATokenWhereNoneIsSent() {
    // when
    Verdict verdict = auth.check("GET", "/runs", List.of());

    // then
    assertThat(verdict.status()).isEqualTo(401);
    assertThat(verdict.reason()).isEqualTo("unauthenticated");
    assertThat(verdict.challenge()).isEqualTo("Bearer realm=\"weft\"");
    assertThat(verdict.message())
        .isEqualTo(
            "GET /runs needs a bearer token with the read scope (Authorization: Bearer <token>)");
  }

  @Test
  void shouldRefuseAnInvalidOrMalformedToken() {
    // when
    Verdict unknown = auth.check("GET", "/runs", List.of("Bearer not-a-known-token-at-all"));
    Verdict basic = auth.check("GET", "/runs", List.of("Basic " + READER));
    Verdict empty = auth.check("GET", "/runs", List.of("Bearer "));
    Verdict twice = auth.check("GET", "/runs", List.of("Bearer " + READER, "Bearer " + READER));

    // then
    for (Verdict verdict : List.of(unknown, basic, empty, twice)) {
      assertThat(verdict.status()).isEqualTo(401);
      assertThat(verdict.challenge()).isEqualTo("Bearer realm=\"weft\", error=\"invalid_token\"");
      assertThat(verdict.message()).doesNotContain(READER).doesNotContain("not-a-known");
    }
    assertThat(unknown.message()).isEqualTo("the bearer token is not valid");
    assertThat(basic.message()).isEqualTo("the Authorization header is not 'Bearer <token>'");
  }

  @Test
  void shouldForbidAValidTokenWithoutTheScope() {
    // when
    Verdict readerWrites =
        auth.check("POST", "/ui/api/runs/r1/cancel", List.of("Bearer " + READER));
    Verdict writerReads = auth.check("GET", "/runs", List.of("Bearer " + WRITER));

    // then
    assertThat(readerWrites.status()).isEqualTo(403);
    assertThat(readerWrites.reason()).isEqualTo("forbidden");
    assertThat(readerWrites.message())
        .isEqualTo(
            "token 'reader' does not hold the write scope that POST /ui/api/runs/r1/cancel needs");
    assertThat(readerWrites.challenge())
        .isEqualTo("Bearer realm=\"weft\", error=\"insufficient_scope\", scope=\"write\"");
    assertThat(writerReads.status()).as("write implies no read").isEqualTo(403);
  }

  @Test
  void shouldLetAValidTokenWithTheScopeThroughAsItsName() {
    // when
    Verdict reads = auth.check("GET", "/runs", List.of("bearer  " + READER + " "));
    Verdict writes = auth.check("POST", "/ui/api/runs/r1/cancel", List.of("Bearer " + BOTH));

    // then
    assertThat(reads.isAllowed()).isTrue();
    assertThat(reads.token().name()).isEqualTo("reader");
    assertThat(writes.isAllowed()).isTrue();
    assertThat(writes.token().name()).isEqualTo("both");
  }
}
