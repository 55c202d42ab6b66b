package io.weft.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority in a directory, for TLS on loopback: the secured embedded
 * broker, the registry over HTTPS and the HTTP APIs in tests. It writes PKCS12 stores, which every
 * Kafka client and the JDK read with {@code ssl.keystore.type=PKCS12}:
 *
 * <ul>
 *   <li>{@code ca.p12}, the trust store holding the authority's certificate ({@link
 *       #trustStore()}), and {@code ca.pem}, the same certificate as PEM;
 *   <li>{@code <name>.p12} per {@link #keyStore(String)}: a key and a certificate whose subject is
 *       {@code CN=<name>}, valid for {@code localhost} and {@code 127.0.0.1}, for servers and for
 *       clients alike (mutual TLS).
 * </ul>
 *
 * <p>Every store has the one random {@link #password()}. Nothing here is meant for production: the
 * authority's key lives only in this object.
 */
public final class LocalPki {

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final Duration TEST_VALIDITY = Duration.ofDays(2);
  private static final java.util.regex.Pattern HOST_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  private final Path dir;
  private final String password;
  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final Duration validity;
  private final SecureRandom random = new SecureRandom();

  private LocalPki(
      Path dir, String password, KeyPair caKeys, X509Certificate caCert, Duration validity) {
    this.dir = dir;
    this.validity = validity;
    this.password = password;
    this.caKeys = caKeys;
    this.caCert = caCert;
  }

  /**
   * Creates an authority named {@code CN=Weft local CA}, whose certificates are valid two days, and
   * writes its trust store in {@code dir}.
   */
  public static LocalPki create(Path dir) {
    return create(dir, TEST_VALIDITY);
  }

  /** As {@link #create(Path)}, with certificates valid for {@code validity}. */
  public static LocalPki create(Path dir, Duration validity) {
    try {
      Files.createDirectories(dir);
      SecureRandom random = new SecureRandom();
      byte[] secret = new byte[12];
      random.nextBytes(secret);
      KeyPair keys = newKeyPair();
      X500Name name = new X500Name("CN=Weft local CA");
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(64, random),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(validity)),
              name,
              keys.getPublic());
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate cert = sign(builder, keys);
      LocalPki pki = new LocalPki(dir, HexFormat.of().formatHex(secret), keys, cert, validity);
      pki.writeTrustStore();
      return pki;
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new EmbeddedException("Cannot create a certificate authority in " + dir, e);
    }
  }

  /** The password of every store this authority writes, and of the keys in them. */
  public String password() {
    return password;
  }

  /** The PKCS12 trust store that holds the authority's certificate. */
  public Path trustStore() {
    return dir.resolve("ca.p12");
  }

  /** The authority's certificate as PEM. */
  public Path caPem() {
    return dir.resolve("ca.pem");
  }

  /**
   * The PKCS12 key store of {@code name} ({@code CN=<name>}), issued on first use: a key and its
   * certificate chain, good for a server on loopback (or at host {@code name}, when it is a host
   * name) and for a client that authenticates with it.
   */
  public synchronized Path keyStore(String name) {
    Path file = dir.resolve(name + ".p12");
    if (Files.exists(file)) {
      return file;
    }
    try {
      KeyPair keys = newKeyPair();
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              caCert,
              new BigInteger(64, random),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(validity)),
              new X500Name("CN=" + name),
              keys.getPublic());
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(
          Extension.subjectAlternativeName, false, new GeneralNames(subjectNames(name)));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(caCert));
      X509Certificate cert = sign(builder, caKeys);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          name, keys.getPrivate(), password.toCharArray(), new Certificate[] {cert, caCert});
      try (OutputStream out = Files.newOutputStream(file)) {
        store.store(out, password.toCharArray());
      }
      return file;
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new EmbeddedException("Cannot issue a certificate for " + name + " in " + dir, e);
    }
  }

  /**
   * Writes {@code name}'s certificate chain ({@code <name>.pem}) and its unencrypted PKCS8 private
   * key ({@code <name>-key.pem}, readable by its owner only) as PEM, for servers that take PEM
   * files, and returns the chain's path.
   */
  public synchronized Path pem(String name) {
    Path chain = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + "-key.pem");
    try {
      KeyStore store = load(keyStore(name));
      try (Writer writer = Files.newBufferedWriter(chain, StandardCharsets.US_ASCII);
          JcaPEMWriter pem = new JcaPEMWriter(writer)) {
        for (Certificate cert : store.getCertificateChain(name)) {
          pem.writeObject(cert);
        }
      }
      Files.deleteIfExists(key);
      Files.createFile(
          key,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      try (Writer writer = Files.newBufferedWriter(key, StandardCharsets.US_ASCII);
          JcaPEMWriter pem = new JcaPEMWriter(writer)) {
        pem.writeObject(
            new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(
                (java.security.PrivateKey) store.getKey(name, password.toCharArray()), null));
      }
      return chain;
    } catch (IOException | GeneralSecurityException e) {
      throw new EmbeddedException("Cannot write the PEM files of " + name + " in " + dir, e);
    }
  }

  private static GeneralName[] subjectNames(String name) {
    java.util.List<GeneralName> names = new java.util.ArrayList<>();
    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    if (HOST_NAME.matcher(name).matches() && !name.equals("localhost")) {
      names.add(new GeneralName(GeneralName.dNSName, name));
    }
    return names.toArray(GeneralName[]::new);
  }

  /**
   * An SSL context that trusts this authority and, if {@code name} is not null, presents {@code
   * name}'s certificate: a client's view for tests, or a server's.
   */
  public SSLContext sslContext(String name) {
    try {
      KeyManagerFactory keyManagers = null;
      if (name != null) {
        keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(load(keyStore(name)), password.toCharArray());
      }
      TrustManagerFactory trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(load(trustStore()));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keyManagers == null ? null : keyManagers.getKeyManagers(),
          trustManagers.getTrustManagers(),
          random);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new EmbeddedException("Cannot build an SSL context from " + dir, e);
    }
  }

  private KeyStore load(Path file) throws IOException, GeneralSecurityException {
    return KeyStore.getInstance(file.toFile(), password.toCharArray());
  }

  private void writeTrustStore() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("weft-ca", caCert);
    try (OutputStream out = Files.newOutputStream(trustStore())) {
      store.store(out, password.toCharArray());
    }
    try (Writer writer = Files.newBufferedWriter(caPem(), StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(writer)) {
      pem.writeObject(caCert);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signerOp = new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signerOp));
  }
}
