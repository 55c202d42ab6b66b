package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsCommandTest {

  @TempDir Path dir;

  @Test
  void shouldIssueCertificatesForEachHostSignedByOneAuthority() throws Exception {
    Cli.Result result =
        Cli.run("certs", "--dir", dir.toString(), "--names", "kafka,coordinator", "--days", "30");

    assertThat(result.exitCode()).as(result.err()).isZero();
    String password = Files.readString(dir.resolve("password"));
    assertThat(Files.getPosixFilePermissions(dir.resolve("password")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(result.out()).doesNotContain(password);
    KeyStore kafka =
        KeyStore.getInstance(dir.resolve("kafka.p12").toFile(), password.toCharArray());
    X509Certificate cert = (X509Certificate) kafka.getCertificate("kafka");
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=kafka");
    assertThat(cert.getSubjectAlternativeNames())
        .extracting(n -> String.valueOf(n.get(1)))
        .contains("kafka", "localhost", "127.0.0.1");
    assertThat(cert.getNotAfter().getTime() - cert.getNotBefore().getTime())
        .isBetween(30L * 86_400_000, 31L * 86_400_000);
    X509Certificate ca;
    try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
      ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    cert.verify(ca.getPublicKey());
    assertThat(Files.readString(dir.resolve("coordinator-key.pem")))
        .startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readAllLines(dir.resolve("coordinator.pem")))
        .filteredOn(l -> l.startsWith("-----BEGIN CERTIFICATE"))
        .hasSize(2);
  }

  @Test
  void shouldRefuseToReplaceAnAuthorityOrABadName() {
    assertThat(Cli.run("certs", "--dir", dir.toString(), "--names", "a").exitCode()).isZero();

    Cli.Result again = Cli.run("certs", "--dir", dir.toString(), "--names", "b");
    Cli.Result bad = Cli.run("certs", "--dir", dir.resolve("x").toString(), "--names", "a b");

    assertThat(again.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(again.err()).contains("already holds a certificate authority");
    assertThat(bad.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(bad.err()).contains("'a b'");
    assertThat(List.of(dir.resolve("b.p12"))).noneMatch(Files::exists);
  }
}
