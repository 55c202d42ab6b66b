package io.weft.cli;

import io.weft.embedded.LocalPki;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft certs}: a throwaway certificate authority and certificates, to try TLS. */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = {
      "Creates a new certificate authority and one certificate per --names entry in DIR, to try"
          + " Weft with TLS (docker/compose.secure.yaml does): ca.p12 (the trust store) and ca.pem;"
          + " per NAME, NAME.p12 (key and chain, subject CN=NAME, valid for the host NAME,"
          + " localhost and 127.0.0.1), NAME.pem and NAME-key.pem; the stores' one password in"
          + " DIR/password. The authority's key is not kept: issue every certificate at once."
    })
final class CertsCommand implements Callable<Integer> {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  @Spec CommandSpec spec;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where to write.")
  Path dir;

  @Option(
      names = "--names",
      required = true,
      split = ",",
      paramLabel = "NAME[,NAME...]",
      description = "The certificates' common names, e.g. kafka,coordinator,worker.")
  List<String> names;

  @Option(
      names = "--days",
      defaultValue = "365",
      paramLabel = "N",
      description = "How long the certificates are valid (default: ${DEFAULT-VALUE} days).")
  int days;

  @Override
  public Integer call() throws IOException {
    for (String name : names) {
      if (!NAME.matcher(name).matches()) {
        throw new CliException(
            Weft.INVALID,
            "certificate name '" + name + "' is not 1 to 63 letters, digits, '.', '_' or '-'");
      }
    }
    if (days < 1) {
      throw new CliException(Weft.INVALID, "--days must be at least 1, got " + days);
    }
    if (Files.exists(dir.resolve("ca.p12"))) {
      throw new CliException(Weft.INVALID, dir + " already holds a certificate authority (ca.p12)");
    }
    LocalPki pki = LocalPki.create(dir, Duration.ofDays(days));
    for (String name : names) {
      pki.keyStore(name);
      pki.pem(name);
    }
    Path password = dir.resolve("password");
    Files.deleteIfExists(password);
    Files.createFile(
        password,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(password, pki.password(), StandardCharsets.US_ASCII);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Wrote a certificate authority and %d certificates valid %d days in %s; the stores'"
            + " password is in %s%n",
        names.size(), days, dir, password);
    return Weft.OK;
  }
}
