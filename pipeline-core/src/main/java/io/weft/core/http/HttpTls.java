package io.weft.core.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * TLS contexts from key stores (PKCS12 or JKS files): a server's key and certificate chain, a
 * client's trusted certificates. A store that cannot be used fails naming the setting of its
 * location and why (a wrong password, no key in it); a password is never part of a message.
 */
final class HttpTls {

  /** The protocol versions Weft's HTTP servers speak. */
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private HttpTls() {}

  /**
   * A server context from the key store at {@code location}.
   *
   * @param keyPassword the private key's password; null if it is the store's
   * @param setting the setting that names {@code location}, for messages
   */
  static SSLContext server(
      Path location, String type, Password storePassword, Password keyPassword, String setting) {
    KeyStore store = load(location, type, storePassword, setting);
    try {
      if (Collections.list(store.aliases()).stream().noneMatch(alias -> isKey(store, alias))) {
        throw new ConfigException(
            setting, location.toString(), "the key store holds no private key for the server");
      }
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, chars(keyPassword != null ? keyPassword : storePassword));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new ConfigException(
          setting, location.toString(), "cannot use the key store's key: " + e.getMessage());
    }
  }

  /** A client context trusting the certificates of the trust store at {@code location}. */
  static SSLContext client(Path location, String type, Password password, String setting) {
    KeyStore store = load(location, type, password, setting);
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new ConfigException(
          setting, location.toString(), "cannot use the trust store: " + e.getMessage());
    }
  }

  /** Sets a JDK HTTPS server up: TLS 1.3 or 1.2, no client certificate asked for. */
  static HttpsConfigurator configurator(SSLContext context) {
    return new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        parameters.setNeedClientAuth(false);
        parameters.setWantClientAuth(false);
        params.setSSLParameters(parameters);
      }
    };
  }

  private static KeyStore load(Path location, String type, Password password, String setting) {
    try (InputStream in = Files.newInputStream(location)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, chars(password));
      return store;
    } catch (NoSuchFileException e) {
      throw new ConfigException(setting, location.toString(), "no such file");
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(
          setting,
          location.toString(),
          "cannot read it as a " + type + " store: " + e.getMessage());
    }
  }

  private static boolean isKey(KeyStore store, String alias) {
    try {
      return store.isKeyEntry(alias);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static char[] chars(Password password) {
    return password == null ? null : password.value().toCharArray();
  }
}
