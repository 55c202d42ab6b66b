package io.weft.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * How the registry client speaks TLS to an {@code https://} registry: which authorities it trusts
 * (a trust store, or the JDK's own), which certificate it presents if the registry asks for one (a
 * key store: mutual TLS), and whether it checks that the registry's certificate names the host it
 * connected to. The settings are Confluent's {@code schema.registry.ssl.*}, read by {@code
 * AvroSerdeConfig}; their names are here so that every error names the setting to fix.
 *
 * <p>{@link #sslContext()} reads the stores. A store that cannot be read fails with a {@link
 * ConfigException} naming the setting: the location if the file is missing or is not a store of its
 * type, the password if it does not open the store, the type if the JVM does not know it. Passwords
 * never appear in messages or in {@link #toString()}.
 */
public final class RegistryTls {

  public static final String TRUSTSTORE_LOCATION_CONFIG = "schema.registry.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD_CONFIG = "schema.registry.ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE_CONFIG = "schema.registry.ssl.truststore.type";
  public static final String KEYSTORE_LOCATION_CONFIG = "schema.registry.ssl.keystore.location";
  public static final String KEYSTORE_PASSWORD_CONFIG = "schema.registry.ssl.keystore.password";
  public static final String KEYSTORE_TYPE_CONFIG = "schema.registry.ssl.keystore.type";
  public static final String KEY_PASSWORD_CONFIG = "schema.registry.ssl.key.password";
  public static final String ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG =
      "schema.registry.ssl.endpoint.identification.algorithm";

  /** The store type when none is given: Kafka's and Confluent's default. */
  public static final String DEFAULT_STORE_TYPE = "JKS";

  /** The trust store type of a file of PEM certificates, as Kafka names it. */
  public static final String PEM = "PEM";

  /** The JDK's trusted authorities, no client certificate, host names checked. */
  public static final RegistryTls DEFAULT = new RegistryTls(null, null, null, true);

  private final Store trustStore;
  private final Store keyStore;
  private final Password keyPassword;
  private final boolean verifyHostname;

  /** A key or trust store file, its type (JKS, PKCS12, ...) and password, which may be null. */
  private record Store(Path location, String type, Password password) {

    Store {
      Objects.requireNonNull(location);
      type = type == null || type.isBlank() ? DEFAULT_STORE_TYPE : type.trim();
    }

    char[] passwordChars() {
      return password == null ? null : password.value().toCharArray();
    }

    @Override
    public String toString() {
      return location + " (" + type + ")";
    }
  }

  private RegistryTls(
      Store trustStore, Store keyStore, Password keyPassword, boolean verifyHostname) {
    this.trustStore = trustStore;
    this.keyStore = keyStore;
    this.keyPassword = keyPassword;
    this.verifyHostname = verifyHostname;
  }

  /**
   * These settings, trusting the authorities in {@code location} instead of the JDK's.
   *
   * @param type JKS, PKCS12 (the JDK reads either under both names) or PEM (a file of certificates,
   *     no password); null for {@value #DEFAULT_STORE_TYPE}
   * @param password the store's password, or null
   */
  public RegistryTls withTrustStore(Path location, String type, String password) {
    return new RegistryTls(
        new Store(location, type, password(password)), keyStore, keyPassword, verifyHostname);
  }

  /**
   * These settings, presenting the key and certificate in {@code location} when the registry asks
   * for a client certificate (mutual TLS).
   *
   * @param type JKS or PKCS12; null for {@value #DEFAULT_STORE_TYPE}
   * @param password the store's password
   * @param keyPassword the key's password; null if it is the store's
   */
  public RegistryTls withKeyStore(Path location, String type, String password, String keyPassword) {
    return new RegistryTls(
        trustStore,
        new Store(location, type, password(password)),
        password(keyPassword),
        verifyHostname);
  }

  /**
   * These settings, with or without the check that the registry's certificate names the host in the
   * URL ({@code https} endpoint identification). Turn it off only for a registry reached by a name
   * its certificate does not carry: any certificate from a trusted authority is then accepted.
   */
  public RegistryTls withHostnameVerification(boolean verify) {
    return new RegistryTls(trustStore, keyStore, keyPassword, verify);
  }

  /** Whether the registry's certificate must name the host connected to. */
  public boolean verifiesHostname() {
    return verifyHostname;
  }

  /** Whether a trust store is set (otherwise the JDK's authorities are trusted). */
  public boolean hasTrustStore() {
    return trustStore != null;
  }

  /** Whether a key store is set, to present a client certificate. */
  public boolean hasKeyStore() {
    return keyStore != null;
  }

  /** Whether anything differs from the JDK's defaults. */
  boolean isDefault() {
    return trustStore == null && keyStore == null && verifyHostname;
  }

  /**
   * A TLS context from these settings; reads the stores.
   *
   * @throws ConfigException naming the setting when a store cannot be read
   */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers(), trustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new ConfigException("Cannot set up TLS for the schema registry: " + e);
    }
  }

  private TrustManager[] trustManagers() throws GeneralSecurityException {
    KeyStore trusted = null;
    if (trustStore != null) {
      trusted =
          PEM.equalsIgnoreCase(trustStore.type())
              ? pemCertificates(trustStore.location())
              : load(
                  trustStore,
                  TRUSTSTORE_LOCATION_CONFIG,
                  TRUSTSTORE_PASSWORD_CONFIG,
                  TRUSTSTORE_TYPE_CONFIG);
      if (!holdsCertificates(trusted)) {
        throw new ConfigException(
            TRUSTSTORE_LOCATION_CONFIG,
            trustStore.location().toString(),
            "the "
                + trustStore.type()
                + " store holds no certificate to trust"
                + (trustStore.password() == null
                    ? " that can be read without a password (" + TRUSTSTORE_PASSWORD_CONFIG + ")"
                    : ""));
      }
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    TrustManager[] managers = factory.getTrustManagers();
    if (verifyHostname) {
      return managers;
    }
    for (int i = 0; i < managers.length; i++) {
      if (managers[i] instanceof X509TrustManager x509) {
        managers[i] = new ChainOnlyTrustManager(x509);
      }
    }
    return managers;
  }

  private KeyManager[] keyManagers() throws GeneralSecurityException {
    if (keyStore == null) {
      return null;
    }
    KeyStore keys =
        load(keyStore, KEYSTORE_LOCATION_CONFIG, KEYSTORE_PASSWORD_CONFIG, KEYSTORE_TYPE_CONFIG);
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    Password password = keyPassword != null ? keyPassword : keyStore.password();
    try {
      factory.init(keys, password == null ? new char[0] : password.value().toCharArray());
    } catch (UnrecoverableKeyException e) {
      throw new ConfigException(
          keyPassword != null ? KEY_PASSWORD_CONFIG : KEYSTORE_PASSWORD_CONFIG,
          keyPassword != null ? keyPassword : keyStore.password(),
          "cannot recover the key in " + keyStore + ": " + e.getMessage());
    }
    return factory.getKeyManagers();
  }

  private static KeyStore load(
      Store store, String locationSetting, String passwordSetting, String typeSetting) {
    KeyStore keyStore;
    try {
      keyStore = KeyStore.getInstance(store.type().toUpperCase(Locale.ROOT));
    } catch (KeyStoreException e) {
      throw new ConfigException(
          typeSetting, store.type(), "this JVM reads no key store of that type (JKS, PKCS12)");
    }
    try (InputStream in = Files.newInputStream(store.location())) {
      keyStore.load(in, store.passwordChars());
      return keyStore;
    } catch (NoSuchFileException e) {
      throw new ConfigException(locationSetting, store.location().toString(), "no such file");
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new ConfigException(
            passwordSetting,
            store.password(),
            (store.password() == null ? "no password given for " : "not the password of ") + store);
      }
      throw new ConfigException(
          locationSetting,
          store.location().toString(),
          "cannot be read as a " + store.type() + " store: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new ConfigException(
          locationSetting,
          store.location().toString(),
          "cannot be read as a " + store.type() + " store: " + e.getMessage());
    }
  }

  private static KeyStore pemCertificates(Path location) throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in = Files.newInputStream(location)) {
      store.load(null, null);
      int n = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("pem-" + n++, certificate);
      }
      return store;
    } catch (NoSuchFileException e) {
      throw new ConfigException(TRUSTSTORE_LOCATION_CONFIG, location.toString(), "no such file");
    } catch (IOException | CertificateException e) {
      throw new ConfigException(
          TRUSTSTORE_LOCATION_CONFIG,
          location.toString(),
          "cannot be read as PEM certificates: " + e.getMessage());
    }
  }

  private static boolean holdsCertificates(KeyStore store) throws KeyStoreException {
    for (String alias : Collections.list(store.aliases())) {
      if (store.getCertificate(alias) != null) {
        return true;
      }
    }
    return false;
  }

  private static Password password(String password) {
    return password == null ? null : new Password(password);
  }

  /** Locations and types only; never a password. */
  @Override
  public String toString() {
    return "RegistryTls{trustStore="
        + Optional.ofNullable(trustStore).map(Store::toString).orElse("JDK default")
        + ", keyStore="
        + Optional.ofNullable(keyStore).map(Store::toString).orElse("none")
        + ", verifyHostname="
        + verifyHostname
        + "}";
  }

  /**
   * Checks the registry's certificate chain against the trusted authorities but not the host name:
   * the JDK checks the name only through an {@link X509ExtendedTrustManager} given the connection,
   * and this one does not pass the connection on.
   */
  private static final class ChainOnlyTrustManager extends X509ExtendedTrustManager {

    private final X509TrustManager delegate;

    ChainOnlyTrustManager(X509TrustManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }
}
