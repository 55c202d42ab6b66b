package io.weft.schemas.serde;

import io.weft.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/** Settings of Weft's Avro serde; the names are Confluent's, so existing configs carry over. */
public final class AvroSerdeConfig extends AbstractConfig {

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
              REQUEST_TIMEOUT_MS_DOC);

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

  /** A registry client made from these settings. */
  public SchemaRegistryClient registryClient() {
    Password userInfo = getPassword(BASIC_AUTH_USER_INFO_CONFIG);
    Optional<String> auth =
        Optional.ofNullable(userInfo).map(Password::value).filter(s -> !s.isEmpty());
    return SchemaRegistryClient.create(
        getList(SCHEMA_REGISTRY_URL_CONFIG),
        auth,
        Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS_CONFIG)));
  }
}
