package io.weft.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

  static final String READER = "reader-token-0123456789";
  static final String WRITER = "writer-token-0123456789";

  @TempDir Path dir;

  /** {@code sha256:<hex>} of {@code token}, as a token file holds it. */
  static String hashed(String token) {
    return "sha256:" + HexFormat.of().formatHex(Tokens.sha256(token));
  }

  @Test
  void shouldReadPlainAndHashedTokensWithTheirNamesAndScopes() throws Exception {
    // given
    Path file = dir.resolve("tokens");
    Files.writeString(
        file,
        "# name scopes token\n"
            + "\n"
            + "grafana\tread\t"
            + hashed(READER).toUpperCase().replace("SHA256:", "sha256:")
            + "\n"
            + "  ci   read,write   "
            + WRITER
            + "  \r\n"
            + "pusher WRITE "
            + hashed("pusher-token-0123456789")
            + "\n");

    // when
    Tokens tokens = TokenFile.read(file);

    // then
    assertThat(tokens.size()).isEqualTo(3);
    assertThat(tokens.find(READER)).contains(new Token("grafana", Set.of(Scope.READ)));
    assertThat(tokens.find(WRITER)).contains(new Token("ci", Set.of(Scope.READ, Scope.WRITE)));
    assertThat(tokens.find("pusher-token-0123456789"))
        .contains(new Token("pusher", Set.of(Scope.WRITE)));
    assertThat(tokens.find("unknown-token-0123456789")).isEmpty();
    assertThat(tokens.find(hashed(READER))).as("a hash is not a token").isEmpty();
  }

  @Test
  void shouldNameEveryProblemByItsLineAndQuoteNoField() throws Exception {
    // given: tokens in the wrong columns, and every other mistake
    String secret = "Zq81bX0e7PmLk2Vu9TsR";
    Path file = dir.resolve("tokens");
    Files.writeString(
        file,
        String.join(
            "\n",
            "ok read " + READER,
            "read " + secret, // 2: a field missing
            secret + "! read " + WRITER, // 3: a bad name
            "ci admin " + secret + "x", // 4: an unknown scope
            "ci2 read,read " + secret + "y", // 5: a scope twice
            "ci3 read short", // 6: a short token
            "ci4 read sha256:abc", // 7: a bad hash
            "ok write " + secret + "z", // 8: the name of line 1
            "again read " + hashed(READER), // 9: the token of line 1
            "ci5 read " + secret + " extra", // 10: a field too many
            "ci6 read tab\u00e9" + secret)); // 11: not ASCII

    // when / then
    assertThatThrownBy(() -> TokenFile.read(file))
        .isInstanceOfSatisfying(
            TokenFileException.class,
            e -> {
              assertThat(e.getMessage()).startsWith("Invalid token file " + file + ": ");
              assertThat(e.problems())
                  .containsExactly(
                      "line 2: expected NAME SCOPES TOKEN separated by spaces, found 2 fields",
                      "line 3: the name (first field) must be 1 to 64 letters, digits, '.', '_',"
                          + " '-' or '@'",
                      "line 4: the scopes (second field) must be read, write or read,write, each"
                          + " once",
                      "line 5: the scopes (second field) must be read, write or read,write, each"
                          + " once",
                      "line 6: a token (third field) needs at least 16 visible ASCII characters,"
                          + " or write it as sha256:<hex> of the token",
                      "line 7: a hashed token (third field) is sha256: and 64 hex digits, the"
                          + " SHA-256 of the token",
                      "line 8: the name is already used on line 1",
                      "line 9: the same token as line 1",
                      "line 10: expected NAME SCOPES TOKEN separated by spaces, found 4 fields",
                      "line 11: a token (third field) needs at least 16 visible ASCII characters,"
                          + " or write it as sha256:<hex> of the token");
              assertThat(e.getMessage()).doesNotContain(secret).doesNotContain(READER);
            });
  }

  @Test
  void shouldReadAFileWithoutTokensAsOneThatLetsNobodyIn() throws Exception {
    // given
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# every token revoked\n");

    // when
    Tokens tokens = TokenFile.read(file);

    // then
    assertThat(tokens.size()).isZero();
    assertThat(tokens.find(READER)).isEmpty();
  }

  @Test
  void shouldRefuseAFileThatIsMissingOrNotText() throws Exception {
    // given
    Path missing = dir.resolve("missing");
    Path binary = dir.resolve("binary");
    Files.write(binary, new byte[] {'a', ' ', 'r', 'e', 'a', 'd', ' ', (byte) 0xC3, 0x28});

    // when / then
    assertThatThrownBy(() -> TokenFile.read(missing))
        .isInstanceOf(TokenFileException.class)
        .hasMessageStartingWith("Invalid token file " + missing + ": cannot read it");
    assertThatThrownBy(() -> TokenFile.read(binary))
        .isInstanceOf(TokenFileException.class)
        .hasMessage("Invalid token file " + binary + ": it is not UTF-8 text");
  }

  @Test
  void shouldRefuseAFileOverTheLimitBeforeReadingItAll() throws Exception {
    // given
    Path big = dir.resolve("big");
    Files.write(big, "#".repeat(TokenFile.MAX_BYTES + 1).getBytes(StandardCharsets.US_ASCII));

    // when / then
    assertThatThrownBy(() -> TokenFile.read(big))
        .isInstanceOf(TokenFileException.class)
        .hasMessageContaining("it is over " + TokenFile.MAX_BYTES + " bytes");
  }
}
