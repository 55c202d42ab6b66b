package io.weft.cli;

import io.weft.core.http.Scope;
import io.weft.core.http.TokenFile;
import io.weft.core.http.TokenFileException;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft token NAME}: a new bearer token and its line for a token file. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Makes a new random bearer token for the HTTP APIs (256 bits) and prints it, with the line"
          + " to add to the servers' token file (weft.http.auth.tokens.file), which holds only its"
          + " SHA-256. Give the token to its client (weft.query.token.file, WEFT_QUERY_TOKEN,"
          + " Prometheus' credentials_file); it is stored nowhere else. Nothing is written."
    })
final class TokenCommand implements Callable<Integer> {

  private static final SecureRandom RANDOM = new SecureRandom();

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "NAME",
      description = "The token's name, as logs and errors show it (letters, digits, . _ - @).")
  String name;

  @Option(
      names = "--scopes",
      split = ",",
      paramLabel = "SCOPE",
      description = "read, write or read,write (default: read).")
  List<String> scopes = List.of("read");

  @Override
  public Integer call() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String line;
    try {
      line = TokenFile.hashedLine(name, scopes(), token);
    } catch (TokenFileException e) {
      throw new CliException(Weft.INVALID, String.join("; ", e.problems()).replace("line 1: ", ""));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("token:      " + token);
    out.println("file line:  " + line);
    return Weft.OK;
  }

  private Set<Scope> scopes() {
    Set<Scope> set = EnumSet.noneOf(Scope.class);
    for (String tag : scopes) {
      try {
        set.add(Scope.valueOf(tag.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new CliException(
            Weft.INVALID, "unknown scope '" + tag + "'; scopes are read and write");
      }
    }
    return set;
  }
}
