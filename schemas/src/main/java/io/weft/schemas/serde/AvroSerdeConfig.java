package io.weft.schemas.serde;

import io.weft.schemas.registry.RegistryTls;
import io.weft.schemas.registry.SchemaRegistryClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Settings of Weft's Avro serde; the names are Confluent's, so existing configs carry over. */
public final class AvroSerdeConfig extends AbstractConfig {

  private static final Logger log = LoggerFactory.getLogger(AvroSerdeConfig.class);

  /** The plain-HTTP registry URLs already warned about in this process. */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
  private static final String SCHEMA_REGISTRY_URL_DOC =
      "Comma-separated base URLs of a Confluent-API schema registry, e.g. http://127.0.0.1:8081 or"
          + " http://host:8080/apis/ccompat/v7 for Apicurio. Tried in order. mock://<scope> selects"
          + " an in-memory registry shared within the JVM, for tests.";

  public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
  private static final String AUTO_REGISTER_SCHEMAS_DOC =
      "Whether the serializer registers a record's schema under the subject if it is not there.";

  public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";
  private static final String USE_LATEST_VERSION_DOC =
      "Whether the serializer writes with the subject's latest schema instead of the record's own"
          + " (the record is resolved to it). Takes effect when auto.register.schemas is false.";

  public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
  private static final String SPECIFIC_AVRO_READER_DOC =
      "Whether a deserializer built without a target class returns generated SpecificRecord"
          + " classes (true) or GenericRecord (false). A deserializer built for a class always"
          + " returns that class.";

  public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
  private static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC =
      "Where basic-auth credentials come from: USER_INFO (basic.auth.user.info).";

  public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
  private static final String BASIC_AUTH_USER_INFO_DOC =
      "user:password for the registry's HTTP basic authentication; empty for none.";

  public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";
  private static final String REQUEST_TIMEOUT_MS_DOC =
      "Bound on connecting to the registry and on each request, in milliseconds.";

  public static final String SSL_TRUSTSTORE_LOCATION_CONFIG =
      RegistryTls.TRUSTSTORE_LOCATION_CONFIG;
  private static final String SSL_TRUSTSTORE_LOCATION_DOC =
      "Trust store of the authorities whose certificates an https:// registry may present; unset,"
          + " the JDK's own.";

  public static final String SSL_TRUSTSTORE_PASSWORD_CONFIG =
      RegistryTls.TRUSTSTORE_PASSWORD_CONFIG;
  private static final String SSL_TRUSTSTORE_PASSWORD_DOC =
      "Password of schema.registry.ssl.truststore.location.";

  public static final String SSL_TRUSTSTORE_TYPE_CONFIG = RegistryTls.TRUSTSTORE_TYPE_CONFIG;
  private static final String SSL_TRUSTSTORE_TYPE_DOC =
      "Format of the trust store: JKS, PKCS12 (the JDK reads either file under both names) or PEM"
          + " (a file of certificates, no password).";

  public static final String SSL_KEYSTORE_LOCATION_CONFIG = RegistryTls.KEYSTORE_LOCATION_CONFIG;
  private static final String SSL_KEYSTORE_LOCATION_DOC =
      "Key store whose key and certificate the client presents when the registry asks for one"
          + " (mutual TLS); unset for none.";

  public static final String SSL_KEYSTORE_PASSWORD_CONFIG = RegistryTls.KEYSTORE_PASSWORD_CONFIG;
  private static final String SSL_KEYSTORE_PASSWORD_DOC =
      "Password of schema.registry.ssl.keystore.location.";

  public static final String SSL_KEYSTORE_TYPE_CONFIG = RegistryTls.KEYSTORE_TYPE_CONFIG;
  private static final String SSL_KEYSTORE_TYPE_DOC = "Format of the key store: JKS or PKCS12.";

  public static final String SSL_KEY_PASSWORD_CONFIG = RegistryTls.KEY_PASSWORD_CONFIG;
  private static final String SSL_KEY_PASSWORD_DOC =
      "Password of the key in the key store; unset if it is the store's password.";

  public static final String SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG =
      RegistryTls.ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG;
  private static final String SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_DOC =
      "https: the registry's certificate must name the host of its URL. Empty: any certificate"
          + " from a trusted authority is accepted, whatever host it names.";

  private static final ConfigDef CONFIG =
      new ConfigDef()
          .define(
              SCHEMA_REGISTRY_URL_CONFIG,
              Type.LIST,
              ConfigDef.NO_DEFAULT_VALUE,
              ConfigDef.ValidList.anyNonDuplicateValues(false, false),
              Importance.HIGH,
              SCHEMA_REGISTRY_URL_DOC)
          .define(
              AUTO_REGISTER_SCHEMAS_CONFIG,
              Type.BOOLEAN,
              true,
              Importance.MEDIUM,
              AUTO_REGISTER_SCHEMAS_DOC)
          .define(
              USE_LATEST_VERSION_CONFIG,
              Type.BOOLEAN,
              false,
              Importance.LOW,
              USE_LATEST_VERSION_DOC)
          .define(
              SPECIFIC_AVRO_READER_CONFIG,
              Type.BOOLEAN,
              false,
              Importance.LOW,
              SPECIFIC_AVRO_READER_DOC)
          .define(
              BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG,
              Type.STRING,
              "USER_INFO",
              ConfigDef.ValidString.in("USER_INFO"),
              Importance.LOW,
              BASIC_AUTH_CREDENTIALS_SOURCE_DOC)
          .define(
              BASIC_AUTH_USER_INFO_CONFIG,
              Type.PASSWORD,
              "",
              Importance.LOW,
              BASIC_AUTH_USER_INFO_DOC)
          .define(
              REQUEST_TIMEOUT_MS_CONFIG,
              Type.INT,
              10_000,
              ConfigDef.Range.atLeast(1),
              Importance.LOW,
              REQUEST_TIMEOUT_MS_DOC)
          .define(
              SSL_TRUSTSTORE_LOCATION_CONFIG,
              Type.STRING,
              null,
              Importance.MEDIUM,
              SSL_TRUSTSTORE_LOCATION_DOC)
          .define(
              SSL_TRUSTSTORE_PASSWORD_CONFIG,
              Type.PASSWORD,
              null,
              Importance.MEDIUM,
              SSL_TRUSTSTORE_PASSWORD_DOC)
          .define(
              SSL_TRUSTSTORE_TYPE_CONFIG,
              Type.STRING,
              RegistryTls.DEFAULT_STORE_TYPE,
              new ConfigDef.NonEmptyString(),
              Importance.MEDIUM,
              SSL_TRUSTSTORE_TYPE_DOC)
          .define(
              SSL_KEYSTORE_LOCATION_CONFIG,
              Type.STRING,
              null,
              Importance.MEDIUM,
              SSL_KEYSTORE_LOCATION_DOC)
          .define(
              SSL_KEYSTORE_PASSWORD_CONFIG,
              Type.PASSWORD,
              null,
              Importance.MEDIUM,
              SSL_KEYSTORE_PASSWORD_DOC)
          .define(
              SSL_KEYSTORE_TYPE_CONFIG,
              Type.STRING,
              RegistryTls.DEFAULT_STORE_TYPE,
              new ConfigDef.NonEmptyString(),
              Importance.MEDIUM,
              SSL_KEYSTORE_TYPE_DOC)
          .define(
              SSL_KEY_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, SSL_KEY_PASSWORD_DOC)
          .define(
              SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG,
              Type.STRING,
              "https",
              ConfigDef.LambdaValidator.with(
                  AvroSerdeConfig::validateEndpointIdentification, () -> "https or empty"),
              Importance.LOW,
              SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_DOC);

  public AvroSerdeConfig(Map<String, ?> props) {
    super(CONFIG, props, false);
  }

  /** The definition of every setting, for documentation. */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }

  public boolean autoRegisterSchemas() {
    return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
  }

  public boolean useLatestVersion() {
    return getBoolean(USE_LATEST_VERSION_CONFIG);
  }

  public boolean specificAvroReader() {
    return getBoolean(SPECIFIC_AVRO_READER_CONFIG);
  }

  /**
   * A registry client made from these settings.
   *
   * @throws ConfigException naming the setting if a trust or key store cannot be read
   */
  public SchemaRegistryClient registryClient() {
    Password userInfo = getPassword(BASIC_AUTH_USER_INFO_CONFIG);
    Optional<String> auth =
        Optional.ofNullable(userInfo).map(Password::value).filter(s -> !s.isEmpty());
    List<String> urls = getList(SCHEMA_REGISTRY_URL_CONFIG);
    warnOfPlainHttp(urls, auth.isPresent());
    return SchemaRegistryClient.create(
        urls, auth, Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS_CONFIG)), registryTls());
  }

  /** The TLS settings for an {@code https://} registry ({@code schema.registry.ssl.*}). */
  public RegistryTls registryTls() {
    RegistryTls tls = RegistryTls.DEFAULT;
    String trustStore = getString(SSL_TRUSTSTORE_LOCATION_CONFIG);
    if (trustStore != null && !trustStore.isBlank()) {
      tls =
          tls.withTrustStore(
              Path.of(trustStore.trim()),
              getString(SSL_TRUSTSTORE_TYPE_CONFIG),
              value(getPassword(SSL_TRUSTSTORE_PASSWORD_CONFIG)));
    }
    String keyStore = getString(SSL_KEYSTORE_LOCATION_CONFIG);
    if (keyStore != null && !keyStore.isBlank()) {
      tls =
          tls.withKeyStore(
              Path.of(keyStore.trim()),
              getString(SSL_KEYSTORE_TYPE_CONFIG),
              value(getPassword(SSL_KEYSTORE_PASSWORD_CONFIG)),
              value(getPassword(SSL_KEY_PASSWORD_CONFIG)));
    }
    String algorithm = getString(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG);
    return tls.withHostnameVerification(algorithm != null && !algorithm.isBlank());
  }

  /**
   * Warns, once per URL in a process, of settings a plain {@code http://} registry makes useless or
   * unsafe: TLS settings it does not use, basic credentials it would carry in clear to another
   * host.
   */
  private void warnOfPlainHttp(List<String> urls, boolean credentials) {
    boolean tls =
        getString(SSL_TRUSTSTORE_LOCATION_CONFIG) != null
            || getString(SSL_KEYSTORE_LOCATION_CONFIG) != null;
    for (String url : urls) {
      String trimmed = url.trim();
      if (!trimmed.regionMatches(true, 0, "http://", 0, 7) || !WARNED.add(trimmed)) {
        continue;
      }
      if (tls) {
        log.warn(
            "{} {} is plain HTTP: the schema.registry.ssl.* settings are not used for it",
            SCHEMA_REGISTRY_URL_CONFIG,
            trimmed);
      }
      if (credentials && !isLoopback(trimmed)) {
        log.warn(
            "{} is sent to {} over plain HTTP, readable by anyone on the network path;"
                + " use https://",
            BASIC_AUTH_USER_INFO_CONFIG,
            trimmed);
      }
    }
  }

  private static boolean isLoopback(String url) {
    try {
      String host = URI.create(url).getHost();
      return host != null
          && (host.equalsIgnoreCase("localhost")
              || host.startsWith("127.")
              || host.equals("[::1]"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String value(Password password) {
    return password == null ? null : password.value();
  }

  private static void validateEndpointIdentification(String name, Object value) {
    String algorithm = value == null ? "" : value.toString().trim();
    if (!algorithm.isEmpty() && !algorithm.toLowerCase(Locale.ROOT).equals("https")) {
      throw new ConfigException(
          name, value, "must be https (check the host name) or empty (do not check it)");
    }
  }
}
